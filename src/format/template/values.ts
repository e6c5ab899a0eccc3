/**
 * The Go value model seen by the template engine.
 *
 * Go's text/template prints and compares values by their Go type, so a JavaScript value has to say
 * which Go value it stands for. The mapping:
 *
 *   string                  -> string
 *   boolean                 -> bool
 *   number                  -> float64 (what encoding/json gives in a map[string]interface{})
 *   GoInt                   -> a Go integer type (int, int64, uint16, ...)
 *   GoFloat                 -> a named float type other than float64 (float32)
 *   null / undefined        -> an untyped nil (interface{} holding nothing): prints "<nil>"
 *   GoNil                   -> a typed nil: pointer ("<nil>"), slice ("[]"), map ("map[]")
 *   Array                   -> []interface{}; GoSlice to give the element type ([]string, ...)
 *   plain object            -> map[string]interface{}; GoMap to give the value type (map[string]string)
 *   GoStruct                -> a struct (or pointer to struct): ordered fields, printed {v1 v2 ...},
 *                              with methods callable as {{.Method arg}}
 *   GoFunc                  -> a func value (for `call`)
 */

export type GoValue =
  | string
  | boolean
  | number
  | null
  | undefined
  | GoInt
  | GoFloat
  | GoNil
  | GoSlice
  | GoMap
  | GoStruct
  | GoFunc
  | GoValue[]
  | { [key: string]: GoValue };

/** An integer of a named Go integer type. */
export class GoInt {
  constructor(
    readonly value: number,
    readonly type: string = 'int',
  ) {}
}

/** A float of a Go float type other than float64 (plain numbers are float64). */
export class GoFloat {
  constructor(
    readonly value: number,
    readonly type: string = 'float32',
  ) {}
}

/** A typed nil. kind decides how it prints: ptr/interface/func "<nil>", slice "[]", map "map[]". */
export class GoNil {
  constructor(
    readonly type: string,
    readonly kind: 'ptr' | 'slice' | 'map' | 'interface' | 'func',
  ) {}
}

/** A slice whose Go type is known (e.g. "[]string"). */
export class GoSlice {
  constructor(
    readonly items: GoValue[],
    readonly type: string,
  ) {}
}

/** A map whose Go type is known (e.g. "map[string]string"). Keys are strings. */
export class GoMap {
  constructor(
    readonly entries: { [key: string]: GoValue },
    readonly type: string,
  ) {}
}

export type GoMethod = (...args: GoValue[]) => GoValue;

/**
 * A Go struct value, or a pointer to one when type starts with "*".
 * fields are in declaration order (that is the %v order); methods are looked up before fields,
 * as Go's template does for pointer receivers. json, when given, is what {{json .}} marshals.
 */
export class GoStruct {
  constructor(
    readonly type: string,
    readonly fields: ReadonlyArray<readonly [string, GoValue]>,
    readonly methods: Readonly<Record<string, GoMethod>> = {},
    readonly json?: () => unknown,
    /**
     * json is a MarshalJSON method built on json.Marshal (docker's formatter contexts), whose output
     * keeps json.Marshal's HTML escaping under any encoder; false for a plain struct's field layout
     * (omitempty, tags), which the `json` template func writes without escaping.
     */
    readonly jsonEscapes = true,
  ) {}

  field(name: string): { found: boolean; value?: GoValue } {
    for (const [k, v] of this.fields) if (k === name) return { found: true, value: v };
    return { found: false };
  }
}

/** A func value, callable with the `call` builtin. */
export class GoFunc {
  constructor(
    readonly fn: GoMethod,
    readonly type: string = 'func',
  ) {}
}
