import { bench, describe } from "vitest";
import { parse, validate } from "../../src/index.js";
import { fiftyStateDefinition } from "./definitions.js";

const definition = fiftyStateDefinition();
const text = JSON.stringify(definition);
if (validate(definition).length > 0) throw new Error("the benchmark definition must be valid");

describe("definition: a 50-state machine", () => {
  bench("validate (object)", () => {
    validate(definition);
  });
  bench("validate (JSON text)", () => {
    validate(text);
  });
  bench("parse (object)", () => {
    parse(definition);
  });
});
