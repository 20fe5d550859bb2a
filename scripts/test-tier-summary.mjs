// The pure part of scripts/run-tests.mjs: reads the summary lines of a node:test TAP report and
// says why a tier that "passed" must still fail (it ran nothing, or it skipped or deferred tests).

/** `# tests 12` … `# todo 0` of a TAP report, as numbers; a line that is missing is undefined. */
export function parseTapSummary(tap) {
  const count = (name) => {
    const match = new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap);
    return match ? Number(match[1]) : undefined;
  };
  return { tests: count('tests'), skipped: count('skipped'), todo: count('todo') };
}

/** Names of the skipped and todo tests in a TAP report, with their reasons. */
export function skippedTests(tap) {
  return [...tap.matchAll(/^\s*ok \d+ - (.*?) # (SKIP|TODO)\b(.*)$/gim)].map(
    (m) => `${m[1]} (${m[2].toUpperCase()}${m[3].trim() ? `: ${m[3].trim()}` : ''})`,
  );
}

/**
 * Test files that declared no test: node:test reports such a file as one passing test named by
 * its path, so it would otherwise count as a test that ran.
 */
export function filesWithoutTests(tap) {
  return [...tap.matchAll(/^ok \d+ - (\S+\.test\.[cm]?[jt]s)$/gm)].map((m) => m[1]);
}

/**
 * Problems that fail a tier whose tests all passed: no summary, zero tests, any skipped or todo
 * test. Empty when the tier is sound.
 */
export function strictnessProblems(tier, tap) {
  const summary = parseTapSummary(tap);
  if (summary.tests === undefined) {
    return [`the ${tier} tier printed no "# tests" summary line; the runner did not finish`];
  }
  const problems = [];
  const empty = filesWithoutTests(tap);
  if (summary.tests - empty.length <= 0) problems.push(`the ${tier} tier ran 0 tests`);
  if (empty.length > 0) {
    problems.push(`the ${tier} tier has test files without a test:\n  ${empty.join('\n  ')}`);
  }
  const skipped = summary.skipped ?? 0;
  const todo = summary.todo ?? 0;
  if (skipped > 0 || todo > 0) {
    const names = skippedTests(tap);
    problems.push(
      `the ${tier} tier skipped ${skipped} and left ${todo} as todo; every test must run` +
        (names.length > 0 ? `:\n  ${names.join('\n  ')}` : ''),
    );
  }
  return problems;
}
