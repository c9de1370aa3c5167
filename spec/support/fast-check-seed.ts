import fc from "fast-check";

/**
 * Property tests run with a fixed seed, so that CI is repeatable; set FC_SEED to explore others
 * (a failure prints the seed that reproduces it).
 */
fc.configureGlobal({ seed: Number(process.env["FC_SEED"] ?? 20_261_121) });
