#!/usr/bin/env node
/**
 * The long fuzz run (`npm run fuzz`): every kind of hostile case against the build, from a seed
 * it prints (or FUZZ_SEED), FUZZ_RUNS cases per kind (default 5,000), then the table of outcomes
 * and every violation with its case. A case that hangs outright is caught by a watchdog: the run
 * stops and names the kind. Exit status 1 when anything broke.
 */
import { fuzz, kinds, table } from "./hostile.mjs";

const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const runs = Number(process.env.FUZZ_RUNS ?? 5000);
const only = process.argv.slice(2);
console.log(`fuzz: seed ${seed}, ${runs} cases per kind (repeat with FUZZ_SEED=${seed})`);

const results = {};
let current = "";
let lastProgress = Date.now();
const watchdog = setInterval(() => {
  if (Date.now() - lastProgress > 120_000) {
    console.log(`VIOLATION: a ${current} case has run for two minutes (seed ${seed})`);
    process.exit(1);
  }
}, 5_000);
watchdog.unref();

for (const [name, kind] of Object.entries(kinds())) {
  if (only.length > 0 && !only.includes(name)) continue;
  current = name;
  const started = Date.now();
  const progressing = { ...kind, run: async (value) => { lastProgress = Date.now(); return kind.run(value); } };
  results[name] = await fuzz(progressing, { runs, seed });
  console.log(`${name}: ${runs} cases in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
console.log(table(results));
let broken = 0;
for (const [name, { violations }] of Object.entries(results)) {
  for (const { outcome, value } of violations) {
    broken++;
    console.log(`\n${name}: ${outcome}\n${JSON.stringify(value).slice(0, 4000)}`);
  }
}
console.log(`\n${broken} violations (seed ${seed})`);
process.exit(broken > 0 ? 1 : 0);
