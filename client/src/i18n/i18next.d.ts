import type enAdmin from './locales/en/admin.json';
import type enAuth from './locales/en/auth.json';
import type enCall from './locales/en/call.json';
import type enClient from './locales/en/client.json';
import type enCommon from './locales/en/common.json';
import type enErrors from './locales/en/errors.json';
import type enPhone from './locales/en/phone.json';
import type enStaff from './locales/en/staff.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: {
      common: typeof enCommon;
      auth: typeof enAuth;
      admin: typeof enAdmin;
      staff: typeof enStaff;
      call: typeof enCall;
      errors: typeof enErrors;
      client: typeof enClient;
      phone: typeof enPhone;
    };
    interpolationPrefix: '{';
    interpolationSuffix: '}';
  }
}
