import aslValidator from "asl-validator";
import { bench, describe } from "vitest";
import { parse, validate } from "../../src/index.js";
import { fiftyStateDefinition } from "./definitions.js";

const definition = fiftyStateDefinition();
const text = JSON.stringify(definition);
if (validate(definition).length > 0) throw new Error("the benchmark definition must be valid");
if (!aslValidator(definition).isValid) throw new Error("asl-validator must accept the benchmark definition");

describe("definition: a 50-state machine", () => {
  bench("stepfold validate (object)", () => {
    validate(definition);
  });
  bench("stepfold validate (JSON text)", () => {
    validate(text);
  });
  bench("stepfold parse (object)", () => {
    parse(definition);
  });
  bench("asl-validator (the common tool, for comparison)", () => {
    aslValidator(definition);
  }, { iterations: 20, time: 0 });
});
