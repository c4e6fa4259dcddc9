/**
 * What a compilation is about to do, in one line: which parts are compiled, with which compiler, and about how long.
 * Pure: tasks/compile.ts feeds it Hardhat's compilation jobs.
 */

/** One solc job: its compiler and the source names in its input (the files it emits plus their imports). */
export interface PlannedJob {
  solcVersion: string;
  sourceNames: string[];
}

interface Part {
  name: string;
  /** A job belongs to the first part one of whose sources starts with one of these. */
  marks: string[];
  /**
   * Seconds per source file of that part's job. Measured: fresh compiles, one job at a time, on this project's 2-core
   * machine while shared with other work (wall time of each solc-js job; the lowest of four runs): Aave's origin line
   * 126 files 24.5 s, Morpho Blue 15 files (via-IR) 13.0 s, our tools 47 files 11.4 s.
   */
  secondsPerFile: number;
}

const PARTS: Part[] = [
  { name: "Aave's origin line", marks: ["@aave-dao/aave-v3-origin/"], secondsPerFile: 0.2 },
  { name: "Morpho Blue", marks: ["@morpho-org/morpho-blue/src/Morpho.sol"], secondsPerFile: 0.9 },
];
const OUR_TOOLS: Part = { name: "our tools", marks: [], secondsPerFile: 0.25 };

/**
 * Loading Hardhat, writing the artifacts and generating their TypeChain types, measured in the same runs: with the
 * jobs in parallel a fresh compile took 34.4 s, of which 25.9 s for its longest chain of jobs.
 */
const FIXED_SECONDS = 9;

function partOf(job: PlannedJob): Part {
  return PARTS.find((p) => job.sourceNames.some((s) => p.marks.some((m) => s.startsWith(m)))) ?? OUR_TOOLS;
}

/** "about 40 s" under a minute, else whole minutes ("about 2 minutes"). */
function aboutDuration(seconds: number): string {
  if (seconds < 55) return `about ${Math.max(10, Math.round(seconds / 10) * 10)} s`;
  const minutes = Math.max(1, Math.round(seconds / 60));
  return `about ${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/**
 * The estimate: the jobs run `concurrency` at a time, so the run takes at least its longest job and at least the
 * total shared over the parallel slots; plus the fixed cost.
 */
export function estimatedSeconds(jobs: PlannedJob[], concurrency: number): number {
  const each = jobs.map((j) => j.sourceNames.length * partOf(j).secondsPerFile);
  const total = each.reduce((a, b) => a + b, 0);
  return FIXED_SECONDS + Math.max(0, ...each, total / Math.max(1, concurrency));
}

/**
 * The line printed before compiling, e.g. "compiling Aave's origin line (126 files, solc 0.8.27), Morpho Blue (15
 * files, solc 0.8.19) and our tools (47 files, solc 0.8.28), about 40 s; only on the first run or after a change".
 */
export function compilePlanLine(jobs: PlannedJob[], concurrency: number): string {
  const parts = jobs.map((j) => {
    const n = j.sourceNames.length;
    return `${partOf(j).name} (${n} file${n === 1 ? "" : "s"}, solc ${j.solcVersion})`;
  });
  const listed = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
  const duration = aboutDuration(estimatedSeconds(jobs, concurrency));
  return `compiling ${listed}, ${duration}; only on the first run or after a change`;
}
