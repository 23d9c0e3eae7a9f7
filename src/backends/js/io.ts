/** How an input's value reaches the generated code (see compiler/plan.ts 'input' statements). */
export type InputSource = 'const' | 'array' | 'sampled';
