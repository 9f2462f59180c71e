import type { ClientTransferView } from '@parley/shared';
import type { Db } from '../db/types.ts';
import type { Prisma } from '../generated/prisma/client.ts';

type DbOrTx = Db | Prisma.TransactionClient;

const transferSelect = {
  id: true,
  clientId: true,
  recordedAt: true,
  fromFacility: { select: { id: true, name: true } },
  toFacility: { select: { id: true, name: true } },
  recordedBy: { select: { id: true, name: true } },
} as const;

type TransferRow = {
  id: string;
  clientId: string;
  recordedAt: Date;
  fromFacility: { id: string; name: string } | null;
  toFacility: { id: string; name: string };
  recordedBy: { id: string; name: string };
};

function toView(row: TransferRow): ClientTransferView {
  return {
    id: row.id,
    clientId: row.clientId,
    from: row.fromFacility,
    to: row.toFacility,
    recordedAt: row.recordedAt.toISOString(),
    recordedBy: row.recordedBy,
  };
}

/** Clients' moves between facilities (append-only rows), always scoped to one organisation. */
export class ClientTransferRepository {
  constructor(private readonly db: DbOrTx) {}

  async create(data: {
    organizationId: string;
    clientId: string;
    fromFacilityId: string | null;
    toFacilityId: string;
    recordedById: string;
    recordedAt: Date;
  }): Promise<ClientTransferView> {
    return toView(await this.db.clientTransfer.create({ data, select: transferSelect }));
  }

  /** A client's transfers, newest first. */
  async listForClient(organizationId: string, clientId: string): Promise<ClientTransferView[]> {
    const rows = await this.db.clientTransfer.findMany({
      where: { organizationId, clientId },
      orderBy: [{ recordedAt: 'desc' }, { id: 'desc' }],
      select: transferSelect,
      take: 200,
    });
    return rows.map(toView);
  }
}
