from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TimeUnit(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TIME_UNIT_UNSPECIFIED: _ClassVar[TimeUnit]
    TIME_UNIT_NANOSECONDS: _ClassVar[TimeUnit]
    TIME_UNIT_MICROSECONDS: _ClassVar[TimeUnit]
    TIME_UNIT_MILLISECONDS: _ClassVar[TimeUnit]
TIME_UNIT_UNSPECIFIED: TimeUnit
TIME_UNIT_NANOSECONDS: TimeUnit
TIME_UNIT_MICROSECONDS: TimeUnit
TIME_UNIT_MILLISECONDS: TimeUnit

class DataType(_message.Message):
    __slots__ = ("kind", "time_unit", "time_zone", "inner", "fields", "precision", "scale")
    class Kind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        KIND_UNSPECIFIED: _ClassVar[DataType.Kind]
        KIND_BOOL: _ClassVar[DataType.Kind]
        KIND_INT8: _ClassVar[DataType.Kind]
        KIND_INT16: _ClassVar[DataType.Kind]
        KIND_INT32: _ClassVar[DataType.Kind]
        KIND_INT64: _ClassVar[DataType.Kind]
        KIND_UINT8: _ClassVar[DataType.Kind]
        KIND_UINT16: _ClassVar[DataType.Kind]
        KIND_UINT32: _ClassVar[DataType.Kind]
        KIND_UINT64: _ClassVar[DataType.Kind]
        KIND_FLOAT32: _ClassVar[DataType.Kind]
        KIND_FLOAT64: _ClassVar[DataType.Kind]
        KIND_STRING: _ClassVar[DataType.Kind]
        KIND_DATE: _ClassVar[DataType.Kind]
        KIND_DATETIME: _ClassVar[DataType.Kind]
        KIND_TIME: _ClassVar[DataType.Kind]
        KIND_DURATION: _ClassVar[DataType.Kind]
        KIND_CATEGORICAL: _ClassVar[DataType.Kind]
        KIND_NULL: _ClassVar[DataType.Kind]
        KIND_LIST: _ClassVar[DataType.Kind]
        KIND_STRUCT: _ClassVar[DataType.Kind]
        KIND_BINARY: _ClassVar[DataType.Kind]
        KIND_DECIMAL: _ClassVar[DataType.Kind]
    KIND_UNSPECIFIED: DataType.Kind
    KIND_BOOL: DataType.Kind
    KIND_INT8: DataType.Kind
    KIND_INT16: DataType.Kind
    KIND_INT32: DataType.Kind
    KIND_INT64: DataType.Kind
    KIND_UINT8: DataType.Kind
    KIND_UINT16: DataType.Kind
    KIND_UINT32: DataType.Kind
    KIND_UINT64: DataType.Kind
    KIND_FLOAT32: DataType.Kind
    KIND_FLOAT64: DataType.Kind
    KIND_STRING: DataType.Kind
    KIND_DATE: DataType.Kind
    KIND_DATETIME: DataType.Kind
    KIND_TIME: DataType.Kind
    KIND_DURATION: DataType.Kind
    KIND_CATEGORICAL: DataType.Kind
    KIND_NULL: DataType.Kind
    KIND_LIST: DataType.Kind
    KIND_STRUCT: DataType.Kind
    KIND_BINARY: DataType.Kind
    KIND_DECIMAL: DataType.Kind
    KIND_FIELD_NUMBER: _ClassVar[int]
    TIME_UNIT_FIELD_NUMBER: _ClassVar[int]
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    INNER_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    PRECISION_FIELD_NUMBER: _ClassVar[int]
    SCALE_FIELD_NUMBER: _ClassVar[int]
    kind: DataType.Kind
    time_unit: TimeUnit
    time_zone: str
    inner: DataType
    fields: _containers.RepeatedCompositeFieldContainer[Field]
    precision: int
    scale: int
    def __init__(self, kind: _Optional[_Union[DataType.Kind, str]] = ..., time_unit: _Optional[_Union[TimeUnit, str]] = ..., time_zone: _Optional[str] = ..., inner: _Optional[_Union[DataType, _Mapping]] = ..., fields: _Optional[_Iterable[_Union[Field, _Mapping]]] = ..., precision: _Optional[int] = ..., scale: _Optional[int] = ...) -> None: ...

class Field(_message.Message):
    __slots__ = ("name", "dtype")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DTYPE_FIELD_NUMBER: _ClassVar[int]
    name: str
    dtype: DataType
    def __init__(self, name: _Optional[str] = ..., dtype: _Optional[_Union[DataType, _Mapping]] = ...) -> None: ...

class Schema(_message.Message):
    __slots__ = ("fields",)
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    fields: _containers.RepeatedCompositeFieldContainer[Field]
    def __init__(self, fields: _Optional[_Iterable[_Union[Field, _Mapping]]] = ...) -> None: ...
