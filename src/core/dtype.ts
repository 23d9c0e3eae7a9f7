/** Element types of Variables. 'float' follows the network precision (float32 by default). */
export type DType = 'float' | 'bool' | 'int32';
export type Precision = 'float32' | 'float64';
export type StateArray = Float32Array | Float64Array | Uint8Array | Int32Array;

export function allocate(dtype: DType, n: number, precision: Precision): StateArray {
  switch (dtype) {
    case 'bool': return new Uint8Array(n);
    case 'int32': return new Int32Array(n);
    default: return precision === 'float64' ? new Float64Array(n) : new Float32Array(n);
  }
}
export function floatArray(precision: Precision, n: number): Float32Array | Float64Array {
  return precision === 'float64' ? new Float64Array(n) : new Float32Array(n);
}
export function isTypedArray(x: unknown): x is StateArray | Int32Array | Uint32Array | Uint8Array {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}
