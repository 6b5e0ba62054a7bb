// The model reads types exactly as the rules do: one implementation in sql/type-name.ts.
export { canonicalTypeName, typeRefAt as typeRefOf } from '../sql/type-name';
