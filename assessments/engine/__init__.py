"""Pure scoring engine for assessment schemes (no Django imports anywhere in this package).

Public API::

    load_scheme(data) -> Scheme                  scheme_to_dict(scheme) -> dict
    load_scheme_file(path) -> Scheme             builtin_scheme_files() -> list[Path]
    builtin_scheme(code, version=None) -> Scheme
    validate_answers(scheme, answers, on=None) -> list[AnswerError]
    score(scheme, answers, on) -> Result      (codes and numbers; raises InvalidAnswers)
    result_to_dict / result_to_json / result_from_dict / result_from_json
    what_if(scheme, answers, on, result=None) -> WhatIf
    map_answers(item_map, answers) -> (answers, carried_keys)
    retirement(code) -> Retirement | None     builtin_retirements() -> {code: Retirement}
"""

from .expressions import ExpressionError, compile_expression
from .item_map import ItemMap, load_item_map, load_item_map_file, map_answers
from .loader import (
    SchemeError,
    builtin_item_map_files,
    builtin_scheme,
    builtin_scheme_files,
    json_schema,
    load_scheme,
    load_scheme_file,
    scheme_to_dict,
)
from .model import ConsistencyRule, PlausibilityRule, Scheme
from .result import (
    AnswerWarning,
    Gap,
    Result,
    dumps,
    result_from_dict,
    result_from_json,
    result_to_dict,
    result_to_json,
)
from .retirement import Retirement, builtin_retirements, load_retirements, retirement
from .scoring import score
from .validation import AnswerError, InvalidAnswers, validate_answers
from .whatif import WhatIf, what_if, what_if_to_dict

__all__ = [
    "AnswerError",
    "AnswerWarning",
    "ConsistencyRule",
    "ExpressionError",
    "Gap",
    "InvalidAnswers",
    "ItemMap",
    "PlausibilityRule",
    "Result",
    "Retirement",
    "Scheme",
    "SchemeError",
    "WhatIf",
    "builtin_item_map_files",
    "builtin_retirements",
    "builtin_scheme",
    "builtin_scheme_files",
    "compile_expression",
    "dumps",
    "json_schema",
    "load_item_map",
    "load_item_map_file",
    "load_retirements",
    "load_scheme",
    "load_scheme_file",
    "map_answers",
    "result_from_dict",
    "result_from_json",
    "result_to_dict",
    "result_to_json",
    "retirement",
    "scheme_to_dict",
    "score",
    "validate_answers",
    "what_if",
    "what_if_to_dict",
]
