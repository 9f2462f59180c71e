/**
 * The demo organisation: real Mississippi and Louisiana ICE detention facilities (public
 * information), and invented people. Used by `npm start` on an empty database and `npm run seed`.
 */
export const DEMO_PASSWORD = 'parley-demo-2026';

export const DEMO_ORGANIZATION = { name: 'Gulf South Immigrant Legal Aid (demo)', slug: 'gulf-south-demo' };

interface DemoWindow {
  weekdays: number[];
  start: string;
  end: string;
}

const WEEKDAY_WINDOWS: DemoWindow[] = [
  { weekdays: [1, 2, 3, 4, 5], start: '08:00', end: '11:30' },
  { weekdays: [1, 2, 3, 4, 5], start: '13:00', end: '16:30' },
];

export const DEMO_FACILITIES = [
  {
    code: 'ADAMS',
    name: 'Adams County Correctional Center',
    address: '20 Hobo Fork Rd, Natchez, MS 39120',
    booths: 2,
    windows: WEEKDAY_WINDOWS,
  },
  {
    code: 'TALLAHATCHIE',
    name: 'Tallahatchie County Correctional Facility',
    address: '19351 US-49, Tutwiler, MS 38963',
    booths: 2,
    windows: WEEKDAY_WINDOWS,
  },
  {
    code: 'LASALLE',
    name: 'LaSalle ICE Processing Center',
    address: '830 Pinehill Rd, Jena, LA 71342',
    booths: 3,
    windows: [...WEEKDAY_WINDOWS, { weekdays: [6], start: '09:00', end: '12:00' }],
  },
  {
    code: 'JACKSON',
    name: 'Jackson Parish Correctional Center',
    address: '327 Industrial Dr, Jonesboro, LA 71251',
    booths: 1,
    windows: WEEKDAY_WINDOWS,
  },
  {
    code: 'RIVER',
    name: 'River Correctional Center',
    address: '26362 Hwy 15, Ferriday, LA 71334',
    booths: 1,
    windows: WEEKDAY_WINDOWS,
  },
] as const;

export const DEMO_STAFF = [
  { email: 'admin@parley.demo', name: 'Dana Whitfield', role: 'ADMIN' },
  { email: 'staff@parley.demo', name: 'Marcus Boudreaux', role: 'STAFF' },
] as const;

export const DEMO_ATTORNEYS = [
  { email: 'attorney@parley.demo', name: 'Grace Okafor', barNumber: 'MS-104233' },
  { email: 'probono@parley.demo', name: 'Thomas Landry', barNumber: 'LA-38817' },
] as const;

/** Interpreters together cover all 20 client languages, with overlap on the common ones. */
export const DEMO_INTERPRETERS = [
  { email: 'interpreter@parley.demo', name: 'Lucía Ramírez', languages: ['es', 'pt'] },
  { email: 'kreyol@parley.demo', name: 'Jean-Baptiste Pierre', languages: ['ht', 'fr'] },
  { email: 'mayan@parley.demo', name: 'Ixchel Tzul', languages: ['quc', 'mam', 'kjb', 'es'] },
  { email: 'southasia@parley.demo', name: 'Priya Sandhu', languages: ['hi', 'pa', 'bn', 'ne'] },
  { email: 'eastafrica@parley.demo', name: 'Selam Tesfaye', languages: ['ti', 'am', 'ar'] },
  { email: 'europe@parley.demo', name: 'Andrei Popescu', languages: ['ro', 'ru', 'tr'] },
  { email: 'westafrica@parley.demo', name: 'Awa Ndiaye', languages: ['wo', 'fr'] },
  { email: 'asia@parley.demo', name: 'Minh Tran', languages: ['vi', 'zh'] },
] as const;

export const DEMO_CLIENTS = [
  {
    firstName: 'María José',
    lastName: 'Hernández López',
    aNumber: '208114572',
    language: 'es',
    facility: 'ADAMS',
  },
  { firstName: 'Wilner', lastName: 'Joseph', aNumber: '214550981', language: 'ht', facility: 'LASALLE' },
  {
    firstName: 'Juan',
    lastName: 'Tzoc Ajanel',
    aNumber: '219903316',
    language: 'quc',
    facility: 'TALLAHATCHIE',
  },
  {
    firstName: 'Rosa',
    lastName: 'Ramírez Pérez',
    aNumber: '221467034',
    language: 'mam',
    facility: 'JACKSON',
  },
  {
    firstName: 'Baltazar',
    lastName: 'Pascual Mateo',
    aNumber: '203318876',
    language: 'kjb',
    facility: 'RIVER',
  },
  { firstName: 'Gurpreet', lastName: 'Singh', aNumber: '216772049', language: 'pa', facility: 'ADAMS' },
  { firstName: 'Yonas', lastName: 'Gebremedhin', aNumber: '212004583', language: 'ti', facility: 'LASALLE' },
  { firstName: 'Ahmad', lastName: 'Karimi', aNumber: '209981240', language: 'ar', facility: 'TALLAHATCHIE' },
  { firstName: 'Ioana', lastName: 'Dumitru', aNumber: '217340865', language: 'ro', facility: 'JACKSON' },
  { firstName: 'Mamadou', lastName: 'Diop', aNumber: '220158397', language: 'wo', facility: 'RIVER' },
  { firstName: 'Thi Lan', lastName: 'Nguyen', aNumber: '213667120', language: 'vi', facility: 'LASALLE' },
  { firstName: 'Anderson', lastName: 'Silva Costa', aNumber: '218225409', language: 'pt', facility: 'ADAMS' },
] as const;

/** The demo kiosk credential of a facility. Real devices get a random credential from an admin. */
export function demoKioskCredential(facilityCode: string): string {
  return `kiosk-demo-${facilityCode.toLowerCase()}`;
}
