import { describe, expect, it } from 'vitest';
import { leastLoaded, type NodeRecord } from './NodeRegistry.ts';

function node(nodeId: string, load: number): NodeRecord {
  return { nodeId, url: `http://${nodeId}`, mediaAddress: null, load, draining: false, at: 0 };
}

describe('leastLoaded', () => {
  it('picks the node holding the fewest calls', () => {
    expect(leastLoaded([node('a', 3), node('b', 1), node('c', 2)]).nodeId).toBe('b');
  });

  it('breaks ties by node id, so every node placing the same room picks the same one', () => {
    expect(leastLoaded([node('n2', 0), node('n1', 0), node('n3', 1)]).nodeId).toBe('n1');
    expect(leastLoaded([node('n1', 0), node('n2', 0)]).nodeId).toBe('n1');
  });

  it('does not reorder the list it was given', () => {
    const nodes = [node('b', 1), node('a', 1)];
    leastLoaded(nodes);
    expect(nodes.map((n) => n.nodeId)).toEqual(['b', 'a']);
  });
});
