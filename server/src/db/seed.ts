import { hashPassword } from '../auth/passwords.ts';
import { hashSecretToken } from '../auth/tokens.ts';
import type { Logger } from '../logger.ts';
import {
  DEMO_ATTORNEYS,
  DEMO_CLIENTS,
  DEMO_FACILITIES,
  DEMO_INTERPRETERS,
  demoKioskCredential,
  DEMO_ORGANIZATION,
  DEMO_PASSWORD,
  DEMO_STAFF,
} from './demoData.ts';
import type { Db } from './types.ts';

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** True when the demo organisation is already there. */
export async function demoDataExists(db: Db): Promise<boolean> {
  return (await db.organization.count({ where: { slug: DEMO_ORGANIZATION.slug } })) > 0;
}

/**
 * Seeds the demo organisation in one transaction, so a crash half-way leaves nothing behind.
 * Does nothing when it exists already.
 */
export async function seedDemoData(db: Db, logger: Logger): Promise<boolean> {
  if (await demoDataExists(db)) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const kioskHashes = DEMO_FACILITIES.map((f) => hashSecretToken(demoKioskCredential(f.code)));

  await db.$transaction(
    async (tx) => {
      const org = await tx.organization.create({ data: DEMO_ORGANIZATION, select: { id: true } });
      const organizationId = org.id;

      const facilityIds = new Map<string, string>();
      for (const [index, facility] of DEMO_FACILITIES.entries()) {
        const created = await tx.facility.create({
          data: {
            organizationId,
            code: facility.code,
            name: facility.name,
            address: facility.address,
            timeZone: 'America/Chicago',
            booths: facility.booths,
            minLeadTimeMinutes: 24 * 60,
            maxCallMinutes: 60,
            dailyLimitPerAttorneyClient: 1,
            visitingWindows: {
              create: facility.windows.flatMap((w) =>
                w.weekdays.map((weekday) => ({
                  weekday,
                  startMinute: minutes(w.start),
                  endMinute: minutes(w.end),
                })),
              ),
            },
            kioskDevices: {
              create: {
                organizationId,
                label: `${facility.code} visitation booth tablet`,
                credentialHash: kioskHashes[index] ?? '',
              },
            },
          },
          select: { id: true },
        });
        facilityIds.set(facility.code, created.id);
      }

      for (const staff of DEMO_STAFF) {
        await tx.user.create({ data: { organizationId, passwordHash, ...staff } });
      }
      const attorneyIds: string[] = [];
      for (const attorney of DEMO_ATTORNEYS) {
        const created = await tx.user.create({
          data: { organizationId, passwordHash, role: 'ATTORNEY', ...attorney },
          select: { id: true },
        });
        attorneyIds.push(created.id);
      }
      for (const interpreter of DEMO_INTERPRETERS) {
        await tx.user.create({
          data: {
            organizationId,
            passwordHash,
            role: 'INTERPRETER',
            email: interpreter.email,
            name: interpreter.name,
            languages: [...interpreter.languages],
            availability: {
              create: [1, 2, 3, 4, 5].map((weekday) => ({
                weekday,
                startMinute: 8 * 60,
                endMinute: 17 * 60,
              })),
            },
          },
        });
      }

      for (const [index, client] of DEMO_CLIENTS.entries()) {
        const created = await tx.client.create({
          data: {
            organizationId,
            firstName: client.firstName,
            lastName: client.lastName,
            aNumber: client.aNumber,
            preferredLanguage: client.language,
            facilityId: facilityIds.get(client.facility) ?? null,
          },
          select: { id: true },
        });
        await tx.case.create({
          data: {
            organizationId,
            clientId: created.id,
            reference: `GS-2026-${String(101 + index).padStart(4, '0')}`,
            title: 'Asylum, withholding of removal and CAT (I-589)',
            attorneys: { create: { attorneyId: attorneyIds[index % attorneyIds.length] ?? '' } },
          },
        });
      }
    },
    { timeout: 60_000 },
  );
  logger.info({ organization: DEMO_ORGANIZATION.name }, 'demo data seeded');
  return true;
}

/** The lines printed at start-up so a person can sign in. */
export function demoSignInLines(): string[] {
  const rows: [string, string][] = [
    ...DEMO_STAFF.map((u): [string, string] => [u.role === 'ADMIN' ? 'Admin' : 'Staff', u.email]),
    ...DEMO_ATTORNEYS.map((u): [string, string] => ['Attorney', u.email]),
    ...DEMO_INTERPRETERS.slice(0, 2).map((u): [string, string] => ['Interpreter', u.email]),
  ];
  return [
    `Demo sign-ins (password for all: ${DEMO_PASSWORD}):`,
    ...rows.map(([role, email]) => `  ${role.padEnd(12)} ${email}`),
    `  Kiosk        device credential kiosk-demo-<facility code>, e.g. ${demoKioskCredential('ADAMS')}`,
  ];
}
