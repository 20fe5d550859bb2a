/**
 * The stacks of a synthesized environment as a Mermaid flowchart: one node per stack, one arrow
 * from each stack to the stacks that depend on it directly. Arrows implied by a longer path are
 * left out (the bootstrap stack precedes everything, so it gets arrows only to the first layer).
 *
 * Pure: reads the manifest's data (`cdktf.out/manifest.json`), never the file system.
 */
import { deployOrder, StackManifest } from './stack-order';

/** An arrow: `from` is deployed before `to`, which reads its outputs or state. */
export interface StackEdge {
  readonly from: string;
  readonly to: string;
}

/** The direct dependencies, in deployment order, without the ones a longer path implies. */
export function stackEdges(manifest: StackManifest): StackEdge[] {
  const order = deployOrder(manifest);
  const dependenciesOf = new Map(
    Object.values(manifest.stacks).map((s) => [s.name, new Set(s.dependencies ?? [])]),
  );
  const reachable = new Map<string, Set<string>>();
  const ancestors = (name: string): Set<string> => {
    const known = reachable.get(name);
    if (known) return known;
    const found = new Set<string>();
    for (const dependency of dependenciesOf.get(name) ?? []) {
      found.add(dependency);
      for (const further of ancestors(dependency)) found.add(further);
    }
    reachable.set(name, found);
    return found;
  };
  const edges: StackEdge[] = [];
  for (const to of order) {
    const direct = [...(dependenciesOf.get(to) ?? [])];
    for (const from of order) {
      if (!direct.includes(from)) continue;
      const implied = direct.some((other) => other !== from && ancestors(other).has(from));
      if (!implied) edges.push({ from, to });
    }
  }
  return edges;
}

/** Mermaid `flowchart` text (no fence), top to bottom, stacks in deployment order. */
export function stackGraphMermaid(manifest: StackManifest): string {
  const order = deployOrder(manifest);
  const id = (name: string) => `s${order.indexOf(name)}`;
  const lines = ['flowchart TD'];
  for (const name of order) lines.push(`  ${id(name)}["${name}"]`);
  for (const edge of stackEdges(manifest)) lines.push(`  ${id(edge.from)} --> ${id(edge.to)}`);
  return `${lines.join('\n')}\n`;
}
