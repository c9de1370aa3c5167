/**
 * stepfold against its peers: `npm run bench` (which builds first) or `node spec/bench/suite.mjs`.
 *
 *   node spec/bench/suite.mjs [--only <workload>[,<workload>...]] [--quick] [--runs <K>]
 *   node --expose-gc spec/bench/suite.mjs --run <workload> <engine> [--quick] [--runs <K>]
 *
 * The parent runs every (workload, engine) pair in a child process of its own, one after another,
 * so that each child's peak memory belongs to that pair alone, then prints one table. A child
 * checks every result (a wrong answer fails the suite), warms up, times K runs and prints one JSON
 * line: { median, min, runs, maxRssMiB } (times in milliseconds, per operation).
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { WORKLOADS, workloadNamed } from "./workloads.mjs";

const SUITE = fileURLToPath(import.meta.url);
const USAGE = `usage: node spec/bench/suite.mjs [--only <workload>[,...]] [--quick] [--runs <K>] [--rounds <R>]
       node --expose-gc spec/bench/suite.mjs --run <workload> <engine> [--quick] [--runs <K>]
workloads: ${WORKLOADS.map((w) => `${w.number}=${w.id}`).join(", ")}`;

/** A first warm-up run slower than this gets no second warm-up, and the default K drops to 3. */
const SLOW_RUN_MS = 2_000;
/** Faster runs warm up at least twice and until this much time has passed (at most MAX_WARM_UPS runs). */
const WARM_UP_MS = 500;
const MAX_WARM_UPS = 20;
/**
 * Runs that still take less than this after warming up are timed SHORT_RUNS times, not 5: the
 * median of five runs of a millisecond or two moved by a factor of two from one suite run to the
 * next (workload 3: 1.35 and 3.10 ms), the median of 25 by a tenth.
 */
const SHORT_RUN_MS = 50;
const SHORT_RUNS = 25;

/**
 * @typedef {object} Options
 * @property {{ workload: string, engine: string } | undefined} child
 * @property {string[] | undefined} only
 * @property {boolean} quick
 * @property {number | undefined} runs
 * @property {number | undefined} rounds
 */

/**
 * Reads the command line; throws a usage error (with the message to print) when it does not fit.
 * @param {readonly string[]} args
 * @returns {Options}
 */
function parseArguments(args) {
  /** @type {Options} */
  const options = { child: undefined, only: undefined, quick: false, runs: undefined, rounds: undefined };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      const next = args[++i];
      if (next === undefined || next.startsWith("--")) throw new Error(`${arg} needs a value`);
      return next;
    };
    switch (arg) {
      case "--run":
        options.child = { workload: value(), engine: value() };
        break;
      case "--only":
        options.only = value().split(",").filter((name) => name !== "");
        break;
      case "--quick":
        options.quick = true;
        break;
      case "--runs": {
        const runs = Number(value());
        if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs needs a whole number ≥ 1");
        options.runs = runs;
        break;
      }
      case "--rounds": {
        const rounds = Number(value());
        if (!Number.isInteger(rounds) || rounds < 1) throw new Error("--rounds needs a whole number ≥ 1");
        options.rounds = rounds;
        break;
      }
      case "--help":
      case "-h":
        throw new Error("");
      default:
        throw new Error(`unknown argument ${JSON.stringify(arg)}`);
    }
  }
  return options;
}

/** @param {readonly number[]} values */
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? /** @type {number} */ (sorted[middle]) : (/** @type {number} */ (sorted[middle - 1]) + /** @type {number} */ (sorted[middle])) / 2;
};

/**
 * Collects garbage between runs (children run with --expose-gc) so that one run's garbage is not the
 * next one's cost: scavenges of the young generation, where a run's garbage is. On Node 20,
 * `gc({ type: "major" })` scavenges too (`--trace-gc` shows it); this asks for what it gets.
 * A full collection (`gc()`) is not used: it deoptimizes the code that checks hidden classes whose
 * last objects it freed (`--trace-deopt`: "weak objects"), so the three runs after it took 14.7,
 * 10.8 and 7.2 ms on workload 3 instead of 2.4-2.7 (the peer: 28, 26 and 19 ms instead of 16-19).
 * A long-lived host rarely runs one between two executions.
 */
const collectGarbage = () => {
  // Twice: a scavenge only ages what survives it, and the next one promotes it. With one, the
  // untimed preparation's survivors (row S: the started Map of 10,000 tasks, 2.5 MB) were promoted
  // by the timed run's first scavenge, 5 ms of a 50 ms run, while a 1,000-task run, which never
  // scavenges, left that cost to the next preparation. With two, each run starts with an empty
  // young generation and pays only for what it keeps itself.
  globalThis.gc?.({ type: "minor", execution: "sync" });
  globalThis.gc?.({ type: "minor", execution: "sync" });
};

/**
 * One run of a case, untimed preparation first; returns the time of `run` alone, after checking its result.
 * @param {import("./workloads.mjs").Case} workCase
 */
async function timeOneRun(workCase) {
  const prepared = workCase.prepare ? await workCase.prepare() : undefined;
  collectGarbage();
  const begin = performance.now();
  const result = await workCase.run(prepared);
  const elapsed = performance.now() - begin;
  workCase.check(result);
  return elapsed / (workCase.opsPerRun ?? 1);
}

/**
 * The child: loads one engine of one workload, warms up, times K runs and prints one JSON line.
 * @param {Options} options
 */
async function runChild(options) {
  const { workload: name, engine: key } = /** @type {NonNullable<Options["child"]>} */ (options.child);
  const workload = workloadNamed(name);
  if (!workload) throw new Error(`unknown workload ${JSON.stringify(name)}`);
  const engine = workload.engines[key];
  if (!engine) throw new Error(`workload ${workload.id} has no engine ${JSON.stringify(key)} (it has ${Object.keys(workload.engines).join(", ")})`);
  const workCase = await engine.load(options.quick);
  // Short runs warm up longer (until WARM_UP_MS have passed): their first few runs are mostly JIT compilation.
  const firstWarmUp = (await timeOneRun(workCase)) * (workCase.opsPerRun ?? 1);
  let warmUps = 1;
  let lastWarmUp = firstWarmUp;
  for (let spent = firstWarmUp; firstWarmUp < SLOW_RUN_MS && (warmUps < 2 || spent < WARM_UP_MS) && warmUps < MAX_WARM_UPS; warmUps++) {
    lastWarmUp = (await timeOneRun(workCase)) * (workCase.opsPerRun ?? 1);
    spent += lastWarmUp;
  }
  const runs = options.runs ?? (options.quick ? 3 : firstWarmUp >= SLOW_RUN_MS ? 3 : lastWarmUp < SHORT_RUN_MS ? SHORT_RUNS : 5);
  const times = [];
  for (let i = 0; i < runs; i++) times.push(await timeOneRun(workCase));
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  const line = { median: median(times), min: Math.min(...times), runs, maxRssMiB: Math.round(maxRssMiB * 10) / 10 };
  process.stdout.write(`${JSON.stringify({ ...line, size: workCase.size })}\n`);
}

/**
 * @typedef {{ ok: true, median: number, min: number, runs: number, maxRssMiB: number, size?: string }
 *   | { ok: false, message: string }} Measurement
 */

/**
 * Runs one (workload, engine) pair in a child process and reads its JSON line.
 * @param {import("./workloads.mjs").Workload} workload
 * @param {string} engine
 * @param {Options} options
 * @returns {Promise<Measurement>}
 */
function measureInChild(workload, engine, options) {
  const args = ["--expose-gc", SUITE, "--run", workload.id, engine];
  if (options.quick) args.push("--quick");
  if (options.runs !== undefined) args.push("--runs", String(options.runs));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", (error) => resolve({ ok: false, message: error.message }));
    child.on("close", (code) => {
      const last = stdout.trim().split("\n").at(-1) ?? "";
      if (code === 0) {
        try {
          const parsedLine = JSON.parse(last);
          if (typeof parsedLine.median === "number") return resolve({ ok: true, ...parsedLine });
        } catch {
          // falls through to the failure below
        }
      }
      const reason = stderr.trim().split("\n").find((text) => /Error|assert|fail/i.test(text)) ?? stderr.trim().split("\n")[0] ?? "";
      process.stderr.write(stderr);
      resolve({ ok: false, message: `exit ${code}: ${reason || last || "no output"}` });
    });
  });
}

/**
 * Child processes per (workload, engine) pair, alternating the engines: on this kind of machine one
 * process runs a workload at twice the speed of the next one (workload 3: 1.2 ms in one child, 2.5
 * to 3.3 ms in others, with the same build), so one child per engine can make the ratio of a lucky
 * and an unlucky process. The row takes the median of the children's medians.
 */
const ROUNDS = 3;

/**
 * One measurement from several children: the median of their medians, the smallest minimum, every
 * run counted, the highest peak memory. A failed child fails the whole.
 * @param {readonly Measurement[]} measurements
 * @returns {Measurement}
 */
function combine(measurements) {
  const failed = measurements.find((measurement) => !measurement.ok);
  if (failed) return failed;
  const done = /** @type {Extract<Measurement, { ok: true }>[]} */ (measurements);
  return {
    ok: true,
    median: median(done.map((measurement) => measurement.median)),
    min: Math.min(...done.map((measurement) => measurement.min)),
    runs: done.reduce((sum, measurement) => sum + measurement.runs, 0),
    maxRssMiB: Math.max(...done.map((measurement) => measurement.maxRssMiB)),
    size: done[0]?.size,
  };
}

/** @param {number} ms a time in milliseconds, with three significant digits below 100 */
function formatMs(ms) {
  if (ms >= 100) return Math.round(ms).toLocaleString("en-US");
  if (ms >= 0.01) return ms.toPrecision(3);
  return ms.toExponential(2);
}

/** @param {number} ratio */
const formatRatio = (ratio) => (ratio >= 100 ? `${Math.round(ratio)}x` : `${ratio.toPrecision(3)}x`);

/**
 * The ratio, target and verdict columns of a row.
 * @param {import("./workloads.mjs").Target} target
 * @param {number} subject the subject's median
 * @param {number} baseline the baseline's median
 * @returns {{ ratio: string, target: string, met: string }}
 */
function judge(target, subject, baseline) {
  const speedup = baseline / subject;
  switch (target.kind) {
    case "faster":
      return { ratio: formatRatio(speedup), target: `≥ ${target.atLeast}x`, met: speedup >= target.atLeast ? "yes" : "NO" };
    case "floor":
      return {
        ratio: `${formatRatio(speedup)} (${(subject / baseline).toFixed(2)}x floor)`,
        target: `≤ ${target.within}x floor`,
        met: subject <= target.within * baseline ? "yes" : "NO",
      };
    case "scaling": {
      const growth = subject / baseline;
      return { ratio: `${growth.toFixed(2)} (t big / t small)`, target: `≤ ${target.atMost}`, met: growth <= target.atMost ? "yes" : "NO" };
    }
    case "growth":
      return { ratio: `${(subject / baseline).toFixed(2)} (t big / t spread)`, target: "(report)", met: "—" };
    case "ceiling":
      // The fold alone against the peer: the best ratio row `row` could reach, whatever it evaluated.
      return {
        ratio: formatRatio(speedup),
        target: `row ${target.row} needs ≥ ${target.atLeast}x`,
        met: speedup >= target.atLeast ? "within reach" : "out of reach",
      };
    default:
      return { ratio: formatRatio(speedup), target: "(report)", met: "—" };
  }
}

/**
 * One cell of a time column: "median" for a peer tool, "median (label, size)" where the engine needs saying.
 * @param {Measurement} measurement
 * @param {string} label
 * @param {boolean} named whether the cell must say which engine it is
 */
function timeCell(measurement, label, named) {
  if (!measurement.ok) return "FAILED";
  const notes = [named ? label : "", measurement.size ?? ""].filter((note) => note !== "");
  return `${formatMs(measurement.median)}${notes.length > 0 ? ` (${notes.join(", ")})` : ""}`;
}

/**
 * Prints rows as an aligned Markdown table.
 * @param {readonly string[]} header
 * @param {readonly (readonly string[])[]} rows
 */
function printTable(header, rows) {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (/** @type {readonly string[]} */ cells) => `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`);
  for (const row of rows) console.log(line(row));
}

/**
 * The parent: one child per (workload, engine), then the table. Exits 1 when a check failed.
 * @param {Options} options
 */
async function runParent(options) {
  const chosen = options.only
    ? options.only.map((name) => {
        const workload = workloadNamed(name);
        if (!workload) throw new Error(`unknown workload ${JSON.stringify(name)}`);
        return workload;
      })
    : WORKLOADS;
  const rounds = options.rounds ?? (options.quick ? 1 : ROUNDS);
  console.error(
    `stepfold benchmarks: node ${process.version}, ${options.quick ? "quick (small sizes)" : "full sizes"}, ${options.runs ?? "default"} timed runs per child, ${rounds} child(ren) per pair`,
  );
  const rows = [];
  const failures = [];
  for (const workload of chosen) {
    /** @type {Record<string, Measurement[]>} */
    const measured = { [workload.subject]: [], [workload.baseline]: [] };
    for (let round = 0; round < rounds; round++) {
      // Alternating which engine goes first spreads slow spells of the machine over both.
      const order = round % 2 === 0 ? [workload.subject, workload.baseline] : [workload.baseline, workload.subject];
      for (const key of order) {
        const engine = /** @type {import("./workloads.mjs").Engine} */ (workload.engines[key]);
        const measurement = await measureInChild(workload, key, options);
        measured[key]?.push(measurement);
        console.error(
          measurement.ok
            ? `  ${workload.number} ${workload.id} ${engine.label}: median ${formatMs(measurement.median)} ms, min ${formatMs(measurement.min)} ms, ${measurement.runs} runs, ${measurement.maxRssMiB} MiB`
            : `  ${workload.number} ${workload.id} ${engine.label}: FAILED ${measurement.message}`,
        );
        if (!measurement.ok) failures.push(`${workload.number} ${workload.id} ${engine.label}: ${measurement.message}`);
      }
    }
    const subject = combine(measured[workload.subject] ?? []);
    const baseline = combine(measured[workload.baseline] ?? []);
    const subjectEngine = /** @type {import("./workloads.mjs").Engine} */ (workload.engines[workload.subject]);
    const baselineEngine = /** @type {import("./workloads.mjs").Engine} */ (workload.engines[workload.baseline]);
    const verdict = subject.ok && baseline.ok ? judge(workload.target, subject.median, baseline.median) : { ratio: "—", target: "—", met: "FAILED" };
    const named = subjectEngine.label !== "stepfold";
    rows.push([
      `${workload.number}. ${workload.title}`,
      timeCell(subject, subjectEngine.label, named),
      timeCell(baseline, baselineEngine.label, true),
      verdict.ratio,
      verdict.target,
      verdict.met,
      subject.ok ? subject.maxRssMiB.toFixed(0) : "—",
      baseline.ok ? baseline.maxRssMiB.toFixed(0) : "—",
    ]);
  }
  console.log("");
  printTable(["workload", "stepfold median ms", "peer median ms", "ratio (peer/stepfold)", "target", "met?", "stepfold peak MiB", "peer peak MiB"], rows);
  if (failures.length > 0) {
    console.log(`\n${failures.length} measurement(s) failed (a wrong answer or a crash):`);
    for (const failure of failures) console.log(`  ${failure}`);
    process.exitCode = 1;
  }
}

/** @type {Options} */
let options;
try {
  options = parseArguments(process.argv.slice(2));
} catch (error) {
  const message = /** @type {Error} */ (error).message;
  console.error(message ? `${message}\n${USAGE}` : USAGE);
  process.exit(message ? 2 : 0);
}
if (options.child) {
  await runChild(options);
} else {
  try {
    await runParent(options);
  } catch (error) {
    console.error(/** @type {Error} */ (error).message);
    process.exitCode = 2;
  }
}
