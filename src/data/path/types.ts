/**
 * The shapes of a compiled JSONPath and of what reading or writing one yields, shared by the
 * parser, the reader and the writer.
 */

/** Which document a path reads: the state's data (`$`), the context object (`$$`), or a variable (`$name`). */
export type PathRoot = "input" | "context" | "variable";

/** One step of a definite path: an object key or an array index (negative counts from the end). */
export type PathStep = string | number;

/**
 * One pre-parsed piece of a path. `scan` (`..`) applies the segment after it at every depth.
 * `names` is a name union (`['a','b']`), `indexes` an index union (`[0,1]`).
 */
export type PathSegment =
  | { readonly kind: "name"; readonly name: string }
  | { readonly kind: "names"; readonly names: readonly string[] }
  | { readonly kind: "index"; readonly index: number }
  | { readonly kind: "indexes"; readonly indexes: readonly number[] }
  | {
      readonly kind: "slice";
      readonly start: number | undefined;
      readonly end: number | undefined;
      /** Parsed but ignored, as Jayway (and so AWS) ignores a slice step. */
      readonly step: number | undefined;
    }
  | { readonly kind: "wildcard" }
  | { readonly kind: "scan" }
  | { readonly kind: "filter"; readonly test: FilterExpression }
  /** A Jayway function call such as `.length()`: accepted as AWS does, but reading it always fails. */
  | { readonly kind: "function"; readonly name: string };

/** A path inside a filter: `@…` reads the item being tested, `$…` the root of the document being queried. */
export interface FilterPath {
  readonly root: "item" | "document";
  readonly segments: readonly PathSegment[];
  /** True when the path selects one value (a miss then makes the operand undefined). */
  readonly definite: boolean;
}

/** A literal written in a filter: a JSON scalar, or an array of literals (for `in`, `anyof`, …). */
export type FilterLiteral = string | number | boolean | null | readonly FilterLiteral[];

/** One side of a filter comparison. */
export type FilterOperand =
  | { readonly kind: "path"; readonly path: FilterPath }
  | { readonly kind: "literal"; readonly value: FilterLiteral };

/** The comparison operators a filter may use (Jayway's, minus `=~`, `all`, `type` and `matches`). */
export type FilterOperator =
  | "=="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "in"
  | "nin"
  | "subsetof"
  | "anyof"
  | "noneof"
  | "contains"
  | "size"
  | "empty";

/** The parsed test of a filter `[?(...)]`. `exists` is a lone path: true when it selects something. */
export type FilterExpression =
  | { readonly kind: "or"; readonly left: FilterExpression; readonly right: FilterExpression }
  | { readonly kind: "and"; readonly left: FilterExpression; readonly right: FilterExpression }
  | { readonly kind: "not"; readonly operand: FilterExpression }
  | { readonly kind: "exists"; readonly path: FilterPath }
  | {
      readonly kind: "compare";
      readonly operator: FilterOperator;
      readonly left: FilterOperand;
      readonly right: FilterOperand;
    };

/** A JSONPath, validated and pre-parsed so that execution never parses text again. */
export interface CompiledPath {
  /** The path as written in the definition, e.g. `$.a.b`, `$$.Execution.Id`, `$order.id`. */
  readonly source: string;
  /** The document the path reads. */
  readonly root: PathRoot;
  /** The variable's name when `root` is `"variable"`. */
  readonly variable?: string;
  /**
   * True when the path selects one value, so that a miss is an error (Jayway's rule): only single
   * names and indexes, plus possibly a final name union or a final function call.
   */
  readonly definite: boolean;
  /** True when the path is a Reference Path: only `.name`, `['name']` and `[index]` (index >= 0) steps. */
  readonly reference: boolean;
  /**
   * The keys and indices from the root document when every segment is a single name or index
   * (always so for a Reference Path); empty otherwise.
   */
  readonly steps: readonly PathStep[];
  /** The path relative to its root document, as written (`$` + the rest), e.g. `$.Execution.Id` for `$$.Execution.Id`. */
  readonly query: string;
  /** Every segment after the root, pre-parsed (filters included). */
  readonly segments: readonly PathSegment[];
  /** Jayway's normalized form of the path relative to its root, e.g. `$['a'][0]`, as used in its messages. */
  readonly normalized: string;
}

/** The documents a path may read. */
export interface PathDocuments {
  /** What `$` reads: the state's data (or whatever the caller applies the path to). */
  readonly input: unknown;
  /** What `$$` reads: the context object. */
  readonly context?: unknown;
  /** What `$name` reads: the workflow variables in scope, by name (own properties only). */
  readonly variables?: Readonly<Record<string, unknown>>;
}

/** The value a path selected, or why it selected nothing. */
export type PathRead = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };
