import type { ClusterNode } from '../cluster/ClusterNode.ts';

/** Where a phone leg's call is: here (claimed for this node if nobody held it), on another node, or nowhere. */
export type PhonePlace = { kind: 'here' } | { kind: 'elsewhere'; nodeId: string } | { kind: 'unavailable' };

/**
 * Decides where a phone leg may be seated. One process: always here. In a cluster (REDIS_URL) a
 * call lives on one node (cluster/NodeRegistry.ts) and browsers' signalling is relayed to it, but
 * a phone leg's media is this node's plain RTP into this node's media engine, which cannot reach a
 * room on another node. So a phone leg is seated only where its call is held: a call nobody holds
 * yet is claimed for this node (browsers joining later are relayed here), and a call another node
 * holds is refused, clearly, rather than split into two calls of the same consultation.
 */
export interface PhonePlacement {
  place(consultationId: string): Promise<PhonePlace>;
}

/** One process holds every call. */
export const SINGLE_NODE: PhonePlacement = { place: () => Promise.resolve({ kind: 'here' }) };

/** The cluster's registry decides (its public API only: ownerOf, claim, isDraining). */
export function clusterPlacement(
  node: Pick<ClusterNode, 'registry' | 'isDraining'>,
  heldHere: (consultationId: string) => boolean,
): PhonePlacement {
  return {
    async place(consultationId) {
      const { registry } = node;
      const owner = await registry.ownerOf(consultationId);
      if (owner === registry.nodeId) return { kind: 'here' };
      if (owner !== null) return { kind: 'elsewhere', nodeId: owner };
      // Nobody holds it (or Redis forgot a call held here): a draining node starts no new call,
      // anyone else claims it (atomically: when another node claimed it first, that node holds it).
      if (node.isDraining && !heldHere(consultationId)) return { kind: 'unavailable' };
      const claimed = await registry.claim(consultationId);
      return claimed === registry.nodeId ? { kind: 'here' } : { kind: 'elsewhere', nodeId: claimed };
    },
  };
}
