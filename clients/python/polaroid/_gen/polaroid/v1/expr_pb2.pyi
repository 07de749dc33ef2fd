from polaroid._gen.polaroid.v1 import types_pb2 as _types_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class BinaryOp(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BINARY_OP_UNSPECIFIED: _ClassVar[BinaryOp]
    BINARY_OP_ADD: _ClassVar[BinaryOp]
    BINARY_OP_SUB: _ClassVar[BinaryOp]
    BINARY_OP_MUL: _ClassVar[BinaryOp]
    BINARY_OP_TRUE_DIV: _ClassVar[BinaryOp]
    BINARY_OP_FLOOR_DIV: _ClassVar[BinaryOp]
    BINARY_OP_MOD: _ClassVar[BinaryOp]
    BINARY_OP_EQ: _ClassVar[BinaryOp]
    BINARY_OP_NEQ: _ClassVar[BinaryOp]
    BINARY_OP_LT: _ClassVar[BinaryOp]
    BINARY_OP_LT_EQ: _ClassVar[BinaryOp]
    BINARY_OP_GT: _ClassVar[BinaryOp]
    BINARY_OP_GT_EQ: _ClassVar[BinaryOp]
    BINARY_OP_AND: _ClassVar[BinaryOp]
    BINARY_OP_OR: _ClassVar[BinaryOp]
    BINARY_OP_XOR: _ClassVar[BinaryOp]

class UnaryOp(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    UNARY_OP_UNSPECIFIED: _ClassVar[UnaryOp]
    UNARY_OP_NOT: _ClassVar[UnaryOp]
    UNARY_OP_NEG: _ClassVar[UnaryOp]
    UNARY_OP_IS_NULL: _ClassVar[UnaryOp]
    UNARY_OP_IS_NOT_NULL: _ClassVar[UnaryOp]

class AggKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AGG_KIND_UNSPECIFIED: _ClassVar[AggKind]
    AGG_KIND_SUM: _ClassVar[AggKind]
    AGG_KIND_MEAN: _ClassVar[AggKind]
    AGG_KIND_MIN: _ClassVar[AggKind]
    AGG_KIND_MAX: _ClassVar[AggKind]
    AGG_KIND_COUNT: _ClassVar[AggKind]
    AGG_KIND_LEN: _ClassVar[AggKind]
    AGG_KIND_FIRST: _ClassVar[AggKind]
    AGG_KIND_LAST: _ClassVar[AggKind]
    AGG_KIND_STD: _ClassVar[AggKind]
    AGG_KIND_VAR: _ClassVar[AggKind]
    AGG_KIND_MEDIAN: _ClassVar[AggKind]
    AGG_KIND_N_UNIQUE: _ClassVar[AggKind]
    AGG_KIND_QUANTILE: _ClassVar[AggKind]

class QuantileInterpolation(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    QUANTILE_INTERPOLATION_UNSPECIFIED: _ClassVar[QuantileInterpolation]
    QUANTILE_INTERPOLATION_NEAREST: _ClassVar[QuantileInterpolation]
    QUANTILE_INTERPOLATION_HIGHER: _ClassVar[QuantileInterpolation]
    QUANTILE_INTERPOLATION_LOWER: _ClassVar[QuantileInterpolation]
    QUANTILE_INTERPOLATION_MIDPOINT: _ClassVar[QuantileInterpolation]
    QUANTILE_INTERPOLATION_LINEAR: _ClassVar[QuantileInterpolation]
BINARY_OP_UNSPECIFIED: BinaryOp
BINARY_OP_ADD: BinaryOp
BINARY_OP_SUB: BinaryOp
BINARY_OP_MUL: BinaryOp
BINARY_OP_TRUE_DIV: BinaryOp
BINARY_OP_FLOOR_DIV: BinaryOp
BINARY_OP_MOD: BinaryOp
BINARY_OP_EQ: BinaryOp
BINARY_OP_NEQ: BinaryOp
BINARY_OP_LT: BinaryOp
BINARY_OP_LT_EQ: BinaryOp
BINARY_OP_GT: BinaryOp
BINARY_OP_GT_EQ: BinaryOp
BINARY_OP_AND: BinaryOp
BINARY_OP_OR: BinaryOp
BINARY_OP_XOR: BinaryOp
UNARY_OP_UNSPECIFIED: UnaryOp
UNARY_OP_NOT: UnaryOp
UNARY_OP_NEG: UnaryOp
UNARY_OP_IS_NULL: UnaryOp
UNARY_OP_IS_NOT_NULL: UnaryOp
AGG_KIND_UNSPECIFIED: AggKind
AGG_KIND_SUM: AggKind
AGG_KIND_MEAN: AggKind
AGG_KIND_MIN: AggKind
AGG_KIND_MAX: AggKind
AGG_KIND_COUNT: AggKind
AGG_KIND_LEN: AggKind
AGG_KIND_FIRST: AggKind
AGG_KIND_LAST: AggKind
AGG_KIND_STD: AggKind
AGG_KIND_VAR: AggKind
AGG_KIND_MEDIAN: AggKind
AGG_KIND_N_UNIQUE: AggKind
AGG_KIND_QUANTILE: AggKind
QUANTILE_INTERPOLATION_UNSPECIFIED: QuantileInterpolation
QUANTILE_INTERPOLATION_NEAREST: QuantileInterpolation
QUANTILE_INTERPOLATION_HIGHER: QuantileInterpolation
QUANTILE_INTERPOLATION_LOWER: QuantileInterpolation
QUANTILE_INTERPOLATION_MIDPOINT: QuantileInterpolation
QUANTILE_INTERPOLATION_LINEAR: QuantileInterpolation

class Expr(_message.Message):
    __slots__ = ("column", "literal", "binary", "unary", "alias", "when", "aggregate", "cast", "len", "function")
    COLUMN_FIELD_NUMBER: _ClassVar[int]
    LITERAL_FIELD_NUMBER: _ClassVar[int]
    BINARY_FIELD_NUMBER: _ClassVar[int]
    UNARY_FIELD_NUMBER: _ClassVar[int]
    ALIAS_FIELD_NUMBER: _ClassVar[int]
    WHEN_FIELD_NUMBER: _ClassVar[int]
    AGGREGATE_FIELD_NUMBER: _ClassVar[int]
    CAST_FIELD_NUMBER: _ClassVar[int]
    LEN_FIELD_NUMBER: _ClassVar[int]
    FUNCTION_FIELD_NUMBER: _ClassVar[int]
    column: Column
    literal: Literal
    binary: BinaryExpr
    unary: UnaryExpr
    alias: Alias
    when: WhenThen
    aggregate: Aggregate
    cast: Cast
    len: Len
    function: FunctionCall
    def __init__(self, column: _Optional[_Union[Column, _Mapping]] = ..., literal: _Optional[_Union[Literal, _Mapping]] = ..., binary: _Optional[_Union[BinaryExpr, _Mapping]] = ..., unary: _Optional[_Union[UnaryExpr, _Mapping]] = ..., alias: _Optional[_Union[Alias, _Mapping]] = ..., when: _Optional[_Union[WhenThen, _Mapping]] = ..., aggregate: _Optional[_Union[Aggregate, _Mapping]] = ..., cast: _Optional[_Union[Cast, _Mapping]] = ..., len: _Optional[_Union[Len, _Mapping]] = ..., function: _Optional[_Union[FunctionCall, _Mapping]] = ...) -> None: ...

class Column(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class Null(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class Literal(_message.Message):
    __slots__ = ("null", "bool", "int64", "uint64", "float64", "string", "date", "datetime", "int32", "float32", "dtype")
    NULL_FIELD_NUMBER: _ClassVar[int]
    BOOL_FIELD_NUMBER: _ClassVar[int]
    INT64_FIELD_NUMBER: _ClassVar[int]
    UINT64_FIELD_NUMBER: _ClassVar[int]
    FLOAT64_FIELD_NUMBER: _ClassVar[int]
    STRING_FIELD_NUMBER: _ClassVar[int]
    DATE_FIELD_NUMBER: _ClassVar[int]
    DATETIME_FIELD_NUMBER: _ClassVar[int]
    INT32_FIELD_NUMBER: _ClassVar[int]
    FLOAT32_FIELD_NUMBER: _ClassVar[int]
    DTYPE_FIELD_NUMBER: _ClassVar[int]
    null: Null
    bool: bool
    int64: int
    uint64: int
    float64: float
    string: str
    date: int
    datetime: int
    int32: int
    float32: float
    dtype: _types_pb2.DataType
    def __init__(self, null: _Optional[_Union[Null, _Mapping]] = ..., bool: bool = ..., int64: _Optional[int] = ..., uint64: _Optional[int] = ..., float64: _Optional[float] = ..., string: _Optional[str] = ..., date: _Optional[int] = ..., datetime: _Optional[int] = ..., int32: _Optional[int] = ..., float32: _Optional[float] = ..., dtype: _Optional[_Union[_types_pb2.DataType, _Mapping]] = ...) -> None: ...

class BinaryExpr(_message.Message):
    __slots__ = ("op", "left", "right")
    OP_FIELD_NUMBER: _ClassVar[int]
    LEFT_FIELD_NUMBER: _ClassVar[int]
    RIGHT_FIELD_NUMBER: _ClassVar[int]
    op: BinaryOp
    left: Expr
    right: Expr
    def __init__(self, op: _Optional[_Union[BinaryOp, str]] = ..., left: _Optional[_Union[Expr, _Mapping]] = ..., right: _Optional[_Union[Expr, _Mapping]] = ...) -> None: ...

class UnaryExpr(_message.Message):
    __slots__ = ("op", "input")
    OP_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    op: UnaryOp
    input: Expr
    def __init__(self, op: _Optional[_Union[UnaryOp, str]] = ..., input: _Optional[_Union[Expr, _Mapping]] = ...) -> None: ...

class Alias(_message.Message):
    __slots__ = ("input", "name")
    INPUT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    input: Expr
    name: str
    def __init__(self, input: _Optional[_Union[Expr, _Mapping]] = ..., name: _Optional[str] = ...) -> None: ...

class WhenThen(_message.Message):
    __slots__ = ("branches", "otherwise")
    class Branch(_message.Message):
        __slots__ = ("when", "then")
        WHEN_FIELD_NUMBER: _ClassVar[int]
        THEN_FIELD_NUMBER: _ClassVar[int]
        when: Expr
        then: Expr
        def __init__(self, when: _Optional[_Union[Expr, _Mapping]] = ..., then: _Optional[_Union[Expr, _Mapping]] = ...) -> None: ...
    BRANCHES_FIELD_NUMBER: _ClassVar[int]
    OTHERWISE_FIELD_NUMBER: _ClassVar[int]
    branches: _containers.RepeatedCompositeFieldContainer[WhenThen.Branch]
    otherwise: Expr
    def __init__(self, branches: _Optional[_Iterable[_Union[WhenThen.Branch, _Mapping]]] = ..., otherwise: _Optional[_Union[Expr, _Mapping]] = ...) -> None: ...

class Aggregate(_message.Message):
    __slots__ = ("kind", "input", "ddof", "quantile", "interpolation", "quantile_expr")
    KIND_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    DDOF_FIELD_NUMBER: _ClassVar[int]
    QUANTILE_FIELD_NUMBER: _ClassVar[int]
    INTERPOLATION_FIELD_NUMBER: _ClassVar[int]
    QUANTILE_EXPR_FIELD_NUMBER: _ClassVar[int]
    kind: AggKind
    input: Expr
    ddof: int
    quantile: float
    interpolation: QuantileInterpolation
    quantile_expr: Expr
    def __init__(self, kind: _Optional[_Union[AggKind, str]] = ..., input: _Optional[_Union[Expr, _Mapping]] = ..., ddof: _Optional[int] = ..., quantile: _Optional[float] = ..., interpolation: _Optional[_Union[QuantileInterpolation, str]] = ..., quantile_expr: _Optional[_Union[Expr, _Mapping]] = ...) -> None: ...

class Cast(_message.Message):
    __slots__ = ("input", "dtype", "strict")
    INPUT_FIELD_NUMBER: _ClassVar[int]
    DTYPE_FIELD_NUMBER: _ClassVar[int]
    STRICT_FIELD_NUMBER: _ClassVar[int]
    input: Expr
    dtype: _types_pb2.DataType
    strict: bool
    def __init__(self, input: _Optional[_Union[Expr, _Mapping]] = ..., dtype: _Optional[_Union[_types_pb2.DataType, _Mapping]] = ..., strict: bool = ...) -> None: ...

class Len(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class FunctionCall(_message.Message):
    __slots__ = ("name", "args", "options")
    class OptionsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: Arg
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[Arg, _Mapping]] = ...) -> None: ...
    NAME_FIELD_NUMBER: _ClassVar[int]
    ARGS_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    name: str
    args: _containers.RepeatedCompositeFieldContainer[Arg]
    options: _containers.MessageMap[str, Arg]
    def __init__(self, name: _Optional[str] = ..., args: _Optional[_Iterable[_Union[Arg, _Mapping]]] = ..., options: _Optional[_Mapping[str, Arg]] = ...) -> None: ...

class Arg(_message.Message):
    __slots__ = ("expr", "bool", "int", "float", "string", "dtype", "list", "null", "uint")
    EXPR_FIELD_NUMBER: _ClassVar[int]
    BOOL_FIELD_NUMBER: _ClassVar[int]
    INT_FIELD_NUMBER: _ClassVar[int]
    FLOAT_FIELD_NUMBER: _ClassVar[int]
    STRING_FIELD_NUMBER: _ClassVar[int]
    DTYPE_FIELD_NUMBER: _ClassVar[int]
    LIST_FIELD_NUMBER: _ClassVar[int]
    NULL_FIELD_NUMBER: _ClassVar[int]
    UINT_FIELD_NUMBER: _ClassVar[int]
    expr: Expr
    bool: bool
    int: int
    float: float
    string: str
    dtype: _types_pb2.DataType
    list: ArgList
    null: Null
    uint: int
    def __init__(self, expr: _Optional[_Union[Expr, _Mapping]] = ..., bool: bool = ..., int: _Optional[int] = ..., float: _Optional[float] = ..., string: _Optional[str] = ..., dtype: _Optional[_Union[_types_pb2.DataType, _Mapping]] = ..., list: _Optional[_Union[ArgList, _Mapping]] = ..., null: _Optional[_Union[Null, _Mapping]] = ..., uint: _Optional[int] = ...) -> None: ...

class ArgList(_message.Message):
    __slots__ = ("items",)
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[Arg]
    def __init__(self, items: _Optional[_Iterable[_Union[Arg, _Mapping]]] = ...) -> None: ...
