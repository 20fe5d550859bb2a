/**
 * The order stacks are destroyed in: the reverse of the order they are deployed in. Pure: reads
 * the synthesized manifest's data, never the file system.
 */

/** The part of `cdktf.out/manifest.json` the order is read from. */
export interface StackManifest {
  readonly stacks: Readonly<
    Record<
      string,
      {
        readonly name: string;
        readonly dependencies?: readonly string[];
        readonly workingDirectory: string;
      }
    >
  >;
}

/**
 * Stack names in deployment order: every stack after the stacks it depends on; stacks that do
 * not depend on each other keep the manifest's order. Throws on a dependency that is not in the
 * manifest or on a cycle.
 */
export function deployOrder(manifest: StackManifest): string[] {
  const stacks = Object.values(manifest.stacks);
  const names = new Set(stacks.map((s) => s.name));
  for (const stack of stacks) {
    for (const dependency of stack.dependencies ?? []) {
      if (!names.has(dependency)) {
        throw new Error(
          `Stack "${stack.name}" depends on "${dependency}", which is not in the manifest ` +
            `(stacks: ${[...names].join(', ')}).`,
        );
      }
    }
  }
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < stacks.length) {
    const next = stacks.find(
      (s) => !placed.has(s.name) && (s.dependencies ?? []).every((d) => placed.has(d)),
    );
    if (!next) {
      const left = stacks.filter((s) => !placed.has(s.name)).map((s) => s.name);
      throw new Error(`The stacks ${left.join(', ')} depend on each other in a cycle.`);
    }
    ordered.push(next.name);
    placed.add(next.name);
  }
  return ordered;
}

/**
 * Stack names in destroy order: deployment order reversed, with `last` (the bootstrap stack that
 * holds the others' state) at the end whatever the manifest says.
 */
export function destroyOrder(
  manifest: StackManifest,
  options: { readonly last?: string } = {},
): string[] {
  const reversed = deployOrder(manifest).reverse();
  const { last } = options;
  if (!last || !reversed.includes(last)) return reversed;
  return [...reversed.filter((name) => name !== last), last];
}
