/**
 * The peers stepfold is measured against, loaded lazily so that a child process that runs only
 * stepfold never pays for them (their load time and memory would blur the peak-memory column).
 */

/**
 * aws-local-stepfunctions 3 calls `Promise.withResolvers` (Node 22+). On Node 20 we add the
 * standard behaviour: a new promise of the receiver's class and its two settle functions.
 */
function installPromiseWithResolvers() {
  if (typeof (/** @type {any} */ (Promise).withResolvers) === "function") return;
  Object.defineProperty(Promise, "withResolvers", {
    configurable: true,
    writable: true,
    enumerable: false,
    /** @this {PromiseConstructor} */
    value: function withResolvers() {
      /** @type {(value: unknown) => void} */
      let resolve = () => {};
      /** @type {(reason?: unknown) => void} */
      let reject = () => {};
      const promise = new this((/** @type {(value: unknown) => void} */ res, /** @type {(reason?: unknown) => void} */ rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

/**
 * The `StateMachine` class of aws-local-stepfunctions, with the polyfill it needs installed first.
 * @returns {Promise<typeof import("aws-local-stepfunctions").StateMachine>}
 */
export async function loadLocalStepFunctions() {
  installPromiseWithResolvers();
  const module = await import("aws-local-stepfunctions");
  return module.StateMachine;
}

/**
 * asl-validator's validating function: `(definition) => { isValid, errors }`.
 * @returns {Promise<(definition: unknown) => { isValid: boolean, errors: unknown[] }>}
 */
export async function loadAslValidator() {
  const module = /** @type {any} */ (await import("asl-validator"));
  return module.default;
}
