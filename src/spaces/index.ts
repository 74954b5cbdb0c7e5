// The spaces, in one import.
export { Space, type DType, type SpaceJSON, type SpaceValue, type TypedArrayOf, type NumericArray } from './space.js';
export { Discrete, type DiscreteSampleOptions } from './discrete.js';
export { Box } from './box.js';
export { MultiDiscrete, type MultiDiscreteSampleOptions } from './multi-discrete.js';
export { MultiBinary } from './multi-binary.js';
export { Dict, type DictValue } from './dict.js';
export { Tuple, type TupleValue } from './tuple.js';
export { spaceFromJSON } from './json.js';
export { flattenSpace, batchBox } from './flatten.js';
