/** Reading another process's memory for the bench figures. */
import fs from "fs";

/** A process's peak resident memory (Linux: VmHWM in /proc/<pid>/status); undefined where there is no /proc. */
export function peakRssOf(pid: number): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return kb ? Number(kb[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The sum of several processes' peaks (e.g. a node made of two processes); undefined when any cannot be read. */
export function peakRssOfAll(pids: readonly number[]): number | undefined {
  let total = 0;
  for (const pid of pids) {
    const bytes = peakRssOf(pid);
    if (bytes === undefined) return undefined;
    total += bytes;
  }
  return pids.length > 0 ? total : undefined;
}
