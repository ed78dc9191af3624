/** Types of layers.mjs for the TypeScript tests that read it. */
export declare const LAYERS: Readonly<Record<string, readonly string[]>>;
