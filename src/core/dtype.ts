import { Allocator, heapAllocator } from './arena';

/** Element types of Variables. 'float' follows the network precision (float32 by default). */
export type DType = 'float' | 'bool' | 'int32';
export type Precision = 'float32' | 'float64';
export type StateArray = Float32Array | Float64Array | Uint8Array | Int32Array;

/** A zero-filled state array for a Variable of `dtype` (from the network's allocator: its arena or the heap). */
export function allocate(dtype: DType, n: number, precision: Precision, alloc: Allocator = heapAllocator): StateArray {
  switch (dtype) {
    case 'bool': return alloc.array(Uint8Array, n);
    case 'int32': return alloc.array(Int32Array, n);
    default: return precision === 'float64' ? alloc.array(Float64Array, n) : alloc.array(Float32Array, n);
  }
}
export function floatArray(precision: Precision, n: number): Float32Array | Float64Array {
  return precision === 'float64' ? new Float64Array(n) : new Float32Array(n);
}
export function isTypedArray(x: unknown): x is StateArray | Int32Array | Uint32Array | Uint8Array {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}
