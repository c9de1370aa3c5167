/** The benchmark's view of the peer tools it compares against (they ship no type declarations). */
declare module "asl-validator" {
  const aslValidator: (definition: unknown) => { isValid: boolean; errors: unknown[] };
  export default aslValidator;
}
