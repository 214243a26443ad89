#!/usr/bin/env python3
"""Writes jinja_features.jsonl: small templates rendered by Python Jinja2 3.1 exactly as transformers
configures it (the golden data for ChatTemplate's feature tests).

Run from this folder:  python3 generate_fixtures.py
Each line: {"id", "template", "context", and "rendered" or "error_type" + "error"}.
"""
import datetime
import json
import random
import sys
import traceback

import jinja2
from jinja2.ext import loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

assert jinja2.__version__.startswith("3.1"), jinja2.__version__


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
env.filters["tojson"] = tojson
env.globals["raise_exception"] = raise_exception
# a fixed clock, so the fixture is reproducible (the Java test pins the same instant)
env.globals["strftime_now"] = lambda fmt: datetime.datetime(2024, 7, 26, 9, 5, 3).strftime(fmt)

MSGS = [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": "Hi <there> & 'you'"},
    {"role": "assistant", "content": "Hello!"},
    {"role": "user", "content": "مرحبا 你好 😀"},
]
D = {"b": 1, "a": [1, 2.5, None, True, "x"], "c": {"z": "ü", "y": False}}

CASES = []


def case(name, template, **context):
    CASES.append((name, template, context))


# ---- output and whitespace --------------------------------------------------------------------------
case("print_values", "{{ 1 }}|{{ 1.0 }}|{{ -0.5 }}|{{ true }}|{{ none }}|{{ 'a' }}|{{ [1, 'b', none, true, 1.5] }}|{{ {'k': 'v', 1: 2} }}|{{ (1,) }}|{{ () }}|{{ (1, 'a') }}")
case("print_floats", "{% for x in xs %}{{ x }} {% endfor %}", xs=[1e16, 1e15, 1e-5, 0.0001, 0.1, 1/3, 2.5e-10, 123456789.123, 1e22, -1e-7, 100.0, 3.0e100])
case("print_strings_repr", "{{ xs }}", xs=["it's", 'say "hi"', "both ' \"", "tab\tnl\nback\\", "\x00\x1f\x7f", "é\u200b\u2028\u00a0 \u3000", "😀", "\ud7ff"])
case("print_dict_input", "{{ d }}", d=D)
case("print_undefined", "[{{ nope }}][{{ nope.__class__ is defined }}]")
case("trailing_newline_dropped", "a\n")
case("two_trailing_newlines", "a\n\n")
case("crlf_normalised", "a\r\nb\rc\n{% if true %}\r\nx\r\n{% endif %}\r\n")
case("trim_blocks", "{% if true %}\nyes\n{% endif %}\nafter")
case("trim_blocks_not_after_variable", "{{ 'v' }}\nnext")
case("plus_disables_trim", "{% if true +%}\nyes{% endif %}")
case("lstrip_blocks", "line\n    {% if true %}\n    x\n    {% endif %}\nend")
case("lstrip_not_for_variables", "  {{ 'v' }}\n")
case("lstrip_plus_keeps", "  {%+ if true %}x{% endif %}")
case("lstrip_first_line", "   {% if true %}x{% endif %}")
case("lstrip_only_whitespace_before", "a  {% if true %}x{% endif %}")
case("minus_strips_all", "a  \n\n  {%- if true -%}  \n\n  b  \n  {%- endif -%}\n  c")
case("minus_variable", "a \n {{- 'x' -}} \n b")
case("minus_comment", "a \n {#- c -#} \n b")
case("comment_trim", "a\n{# comment #}\nb\n  {# indented #}\nc")
case("comment_multiline", "a{# one\ntwo #}b")
case("raw_block", "{% raw %}\n  {{ x }} {% if %}{% endraw %}\n!")
case("raw_minus", "a {%- raw -%} {{ x }} {%- endraw -%} b")
case("unicode_whitespace_strip", "a\u3000\u00a0 {%- if true %}x{% endif %}")
case("tab_lstrip", "\t\t{% if true %}x{% endif %}\n")
case("nested_braces_in_variable", "{{ {'a': {'b': 1}} }}|{{ {'a': {'b': 1}}['a'] }}")
case("string_escapes", r"""{{ 'a\nb\tc\\d\'e"f\x41\u00e9\U0001F600\101\d' }}|{{ "dq\"x" }}|{{ 'con' 'cat' "enated" }}""")
case("string_multiline", "{{ 'a\nb' }}")
# ---- expressions ---------------------------------------------------------------------------------------
case("arith", "{{ 1 + 2 }} {{ 7 - 10 }} {{ 3 * 4 }} {{ 7 / 2 }} {{ 4 / 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 7 % -3 }} {{ 2 ** 10 }} {{ 2 ** -1 }} {{ 7.5 // 2 }} {{ -7.5 % 2 }} {{ 1 + 2.5 }} {{ true + 1 }}")
case("pow_left_assoc", "{{ 2 ** 3 ** 2 }}")
case("precedence", "{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ -2 ** 2 }} {{ 2 * 3 ~ 4 }} {{ 1 ~ 2 * 3 }} {{ not 1 == 2 }} {{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ 1 in [1] == true }}")
case("filter_binds_tighter", "{{ -1|abs }} {{ 'ab' ~ 'cd'|upper }} {{ 1 + [1,2]|length }} {{ -3|abs + 1 }}")
case("unary", "{{ -x }} {{ +x }} {{ - -x }} {{ -1.5 }} {{ -true }}", x=3)
case("string_ops", "{{ 'ab' + 'cd' }} {{ 'ab' * 3 }} {{ 3 * 'x' }} {{ 'a' ~ 1 ~ none ~ true }} {{ [1] + [2] }} {{ [0] * 3 }} {{ (1,) + (2,) }}")
case("comparisons", "{{ 1 == 1.0 }} {{ 'a' < 'b' }} {{ [1, 2] < [1, 3] }} {{ 'B' < 'a' }} {{ none == none }} {{ 1 != '1' }} {{ [1] == [1] }} {{ {'a': 1} == {'a': 1} }} {{ (1, 2) == [1, 2] }} {{ true == 1 }}")
case("in_operator", "{{ 'a' in 'cat' }} {{ 'x' not in 'cat' }} {{ 1 in [1, 2] }} {{ 'k' in {'k': 1} }} {{ 'v' in {'k': 'v'} }} {{ 2 in (1, 2) }} {{ 1.0 in [1] }} {{ 'a' in ['A'] }}")
case("logic_returns_operands", "{{ 0 or 'x' }} {{ 'a' and 'b' }} {{ '' and 'b' }} {{ none or [] }} {{ not '' }} {{ not [0] }}")
case("conditional_expr", "{{ 'y' if true else 'n' }} {{ 'y' if false else 'n' }} [{{ 'y' if false }}] {{ 'a' if false else 'b' if true else 'c' }}")
case("list_dict_tuple_literals", "{{ [] }} {{ [1, [2, [3]]] }} {{ {} }} {{ {'a': [1], 'b': {'c': none}} }} {{ (1, 2, 3) }} {{ [1, 2,] }}")
case("truthiness", "{% for x in xs %}{{ 'T' if x else 'F' }}{% endfor %}", xs=[0, 1, 0.0, 0.5, "", "a", [], [0], {}, {"a": 1}, None, True, False])
# ---- attribute and item access ------------------------------------------------------------------------
case("getattr_getitem", "{{ m.role }} {{ m['content'] }} {{ ms[0].role }} {{ ms[-1]['content'] }} {{ ms.0.role }} [{{ m.missing }}] [{{ ms[10] }}] [{{ m['missing'] }}]", m=MSGS[0], ms=MSGS)
case("dict_method_vs_key", "{{ d.items is defined }} {{ d['items'] }} {{ d.get('items') }} {{ d.keys()|list }}", d={"items": "key-items", "x": 1})
case("slicing", "{{ s[1:3] }} {{ s[::-1] }} {{ s[-2:] }} {{ s[:-1] }} {{ s[::2] }} {{ l[1:] }} {{ l[::-1] }} {{ l[-1:] }} {{ l[5:] }} {{ l[:0] }} {{ l[1::2] }} {{ l[-100:100] }} {{ l[3:1:-1] }}", s="héllo😀x", l=[1, 2, 3, 4, 5])
case("messages_reversed", "{% for m in messages[::-1] %}{{ loop.index0 }}={{ m.role }} {% endfor %}", messages=MSGS)
case("string_index_codepoints", "{{ s[0] }} {{ s[-1] }} {{ s|length }} {{ s[2:4] }}", s="😀a😀b")
case("index_with_bool_and_bad_types", "[{{ l[true] }}][{{ l['x'] }}][{{ l[1.0] }}][{{ d[[1]] }}][{{ n[0] }}]", l=[1, 2], d={}, n=None)
case("err_slice_bad_index", "{{ s['a':] }}", s="abc")
case("err_slice_dict", "{{ d[1:] }}", d={})
case("err_slice_none", "{{ n[1:] }}", n=None)
case("err_slice_undefined", "{{ nope[1:] }}")
case("nested_missing_is_defined", "{{ d.c.z is defined }} {{ d.c.q is defined }} {{ d.x is defined }}", d=D)
# ---- string methods ----------------------------------------------------------------------------------
case("str_methods", "{{ s.upper() }}|{{ s.lower() }}|{{ s.title() }}|{{ s.capitalize() }}|{{ s.strip() }}|{{ s.lstrip() }}|{{ s.rstrip() }}|{{ s.swapcase() }}", s="  hello WORLD, it's x-y  ")
case("str_strip_chars", "{{ s.strip('x') }}|{{ s.lstrip('xa') }}|{{ s.rstrip('x\n') }}|{{ t.strip('\n') }}", s="xxaxbxx", t="\n\nbody\n")
case("str_split", "{{ s.split() }}|{{ s.split(' ') }}|{{ s.split(',') }}|{{ s.split(',', 1) }}|{{ s.rsplit(',', 1) }}|{{ s.split(None, 1) }}|{{ s.rsplit(None, 1) }}|{{ ''.split() }}|{{ ''.split(',') }}", s=" a,b  c,d ")
case("str_split_think", "{{ c.split('</think>')[-1].lstrip('\n') }}|{{ c.split('</think>')[0].rstrip('\n').split('<think>')[-1].lstrip('\n') }}|{{ c.split('</think>', 1)[1] }}", c="<think>\nreason\n</think>\n\nanswer")
case("str_startswith_endswith", "{{ s.startswith('ab') }} {{ s.endswith('yz') }} {{ s.startswith(('x', 'a')) }} {{ s.startswith('b', 1) }} {{ s.endswith('ab', 0, 2) }}", s="abcxyz")
case("str_find_count_replace", "{{ s.find('b') }} {{ s.find('q') }} {{ s.rfind('b') }} {{ s.count('b') }} {{ s.replace('b', 'B') }} {{ s.replace('b', 'B', 1) }} {{ s.index('c') }} {{ 'é😀b'.find('b') }}", s="abcabc")
case("str_format", "{{ '{} and {}'.format(1, 'x') }}|{{ '{0}{1}{0}'.format('a', 'b') }}|{{ '{name}!'.format(name='N') }}|{{ '{:>5}|{:<5}|{:^5}|{:05d}|{:.2f}|{:,}|{:x}|{:+d}'.format('r', 'l', 'c', 42, 3.14159, 1234567, 255, 3) }}|{{ '{!r}'.format('q') }}|{{ '{{}}'.format() }}|{{ '{0[a]}'.format({'a': 5}) }}")
case("str_format_float", "{{ '{:.3}|{:g}|{:e}|{:.1%}|{}|{:10.4f}|'.format(1.0, 0.00001234, 12345.678, 0.256, 2.5, 3.14159) }}")
case("str_misc", "{{ s.center(11, '*') }}|{{ s.ljust(7, '.') }}|{{ s.rjust(7) }}|{{ s.zfill(8) }}|{{ '-'.join(['a', 'b']) }}|{{ s.partition('l') }}|{{ s.isdigit() }}|{{ '123'.isdigit() }}|{{ s.isalpha() }}|{{ ' '.isspace() }}|{{ s.islower() }}|{{ s.splitlines() }}|{{ 'a\nb\r\nc'.splitlines() }}", s="hello")
case("percent_format", "{{ '%s|%r|%d|%5.2f|%-4s|%04d|%x|%%|%s' % ('a', 'b', 3.9, 2.675, 'x', 42, 255, none) }}|{{ '%(a)s-%(b)d' % {'a': 'A', 'b': 2} }}|{{ '%s' % 'one' }}|{{ '%s' % [1, 2] }}")
# ---- filters -----------------------------------------------------------------------------------------
case("f_trim", "[{{ s|trim }}][{{ s|trim('x ') }}][{{ t|trim }}]", s="  xhi x ", t="\u3000\u00a0 mid \t\n")
case("f_case", "{{ s|upper }}|{{ s|lower }}|{{ s|title }}|{{ s|capitalize }}", s="hello wORLD-foo (bar) it's [x] <y> ß")
case("f_length_count", "{{ 'abc'|length }} {{ [1, 2]|count }} {{ {'a': 1}|length }} {{ '😀'|length }} {{ ''|length }}")
case("f_first_last", "{{ [1, 2, 3]|first }} {{ [1, 2, 3]|last }} {{ 'abc'|first }} {{ 'abc'|last }} [{{ []|first }}] {{ {'a': 1, 'b': 2}|first }} {{ {'a': 1, 'b': 2}|last }}")
case("f_join", "{{ [1, 'a', none]|join }}|{{ ['a', 'b']|join(', ') }}|{{ ms|join(',', attribute='role') }}|{{ 'abc'|join('-') }}", ms=MSGS)
case("f_map", "{{ ms|map(attribute='role')|list }}|{{ ['a', 'b']|map('upper')|join }}|{{ ms|map(attribute='nope', default='d')|list }}|{{ [[1, 2], [3]]|map('length')|list }}|{{ ms|map(attribute='role')|join(',') }}", ms=MSGS)
case("f_select_reject", "{{ [0, 1, 2, 3]|select|list }}|{{ [0, 1, 2, 3]|reject|list }}|{{ [1, 2, 3, 4]|select('odd')|list }}|{{ [1, 2, 3, 4]|reject('even')|list }}|{{ [1, 5, 10]|select('gt', 3)|list }}|{{ ['a', 'b']|select('in', 'abc')|list }}|{{ [1, 2, 3]|select('divisibleby', 3)|list }}")
case("f_selectattr", "{{ ms|selectattr('role', 'equalto', 'user')|map(attribute='content')|list }}|{{ ms|rejectattr('role', 'eq', 'user')|list|length }}|{{ ms|selectattr('content')|list|length }}|{{ ms|selectattr('tool_calls', 'defined')|list }}", ms=MSGS)
case("generator_is_true_and_one_shot", "{% set g = []|select %}{{ 'T' if g else 'F' }}{% set h = [1, 2]|map('string') %}{{ h|list }}{{ h|list }}")
case("f_list_items_dictsort", "{{ 'ab'|list }} {{ {'b': 1, 'a': 2}|list }} {{ {'b': 1, 'a': 2}|items|list }} {{ {'b': 1, 'A': 2, 'a': 3}|dictsort }} {{ {'b': 1, 'a': 2}|dictsort(by='value') }} {{ {'b': 1, 'a': 2}|dictsort(reverse=true) }} {{ {'b': 1, 'A': 2}|dictsort(true) }}")
case("f_default", "{{ x|default('d') }}|{{ none|default('d') }}|{{ ''|default('d') }}|{{ ''|default('d', true) }}|{{ 0|d('z', boolean=true) }}|{{ x|d }}|{{ false|default('no') }}")
case("f_replace", "{{ 'aaa'|replace('a', 'b') }} {{ 'aaa'|replace('a', 'b', 2) }} {{ 123|replace('2', 'x') }} {{ 'abc'|replace('', '-') }}")
case("f_string_int_float", "{{ 1|string }}|{{ none|string }}|{{ [1]|string }}|{{ '42'|int + 1 }}|{{ '4.7'|int }}|{{ 'x'|int }}|{{ 'x'|int(7) }}|{{ 3.9|int }}|{{ '0x1A'|int(base=16) }}|{{ ' 12 '|int }}|{{ '1_000'|int }}|{{ '3.5'|float }}|{{ 'x'|float }}|{{ 2|float }}|{{ '1e3'|int }}|{{ none|int }}|{{ true|int }}|{{ ' 2.5 '|float }}|{{ 'nan'|float }}|{{ 'inf'|int }}")
case("f_abs_round", "{{ -3|abs }} {{ -2.5|abs }} {{ 2.5|round }} {{ 3.5|round }} {{ 2.675|round(2) }} {{ 42|round }} {{ 1.23456|round(2, 'floor') }} {{ 1.23456|round(1, 'ceil') }} {{ -0.5|round }} {{ 1234|round(-2) }}")
case("f_unique_reverse_sort", "{{ ['a', 'A', 'b', 'a']|unique|list }} {{ ['a', 'A']|unique(case_sensitive=true)|list }} {{ [3, 1, 2]|reverse|list }} {{ 'abc'|reverse }} {{ [3, 1, 2]|sort }} {{ [3, 1, 2]|sort(reverse=true) }} {{ ['b', 'A', 'c']|sort }} {{ ['b', 'A', 'c']|sort(case_sensitive=true) }} {{ ms|sort(attribute='role')|map(attribute='content')|list }} {{ [{'a': 2, 'b': 1}, {'a': 1, 'b': 2}, {'a': 1, 'b': 1}]|sort(attribute='a,b') }}", ms=MSGS)
case("f_min_max_sum", "{{ [3, 1, 2]|min }} {{ [3, 1, 2]|max }} {{ ['b', 'A']|min }} {{ ['b', 'A']|max(case_sensitive=true) }} {{ [1, 2, 3]|sum }} {{ [1.5, 2]|sum }} {{ [{'n': 1}, {'n': 2}]|sum(attribute='n') }} {{ [[1], [2]]|sum(start=[]) }} [{{ []|max }}]")
case("f_safe_escape", "{{ '<b>'|safe }} {{ '<b>&\"\\''|e }} {{ '<'|escape }} {{ '<'|safe + '<' }} {{ '<' + '<'|safe }} {{ ('<'|e) is escaped }} {{ '<' is escaped }} {{ '<'|e|string }} {{ '<'|forceescape }}")
case("f_indent", "{{ 'a\nb\n\nc'|indent }}|{{ 'a\nb'|indent(2, true) }}|{{ 'a\n\nb'|indent(width='> ', blank=true) }}|{{ 'a\nb'|indent(first=true) }}|{{ ''|indent }}")
case("f_wordcount_center_truncate", "{{ 'hello, big world! 42 a_b'|wordcount }} {{ 'مرحبا بالعالم'|wordcount }} [{{ 'ab'|center(6) }}] {{ 'a long sentence that goes on and on'|truncate(15) }} {{ 'a long sentence that goes on and on'|truncate(15, true) }} {{ 'short'|truncate(10) }}")
case("f_batch_slice", "{{ [1, 2, 3, 4, 5]|batch(2)|list }} {{ [1, 2, 3]|batch(2, 'x')|list }} {{ [1, 2, 3, 4, 5]|slice(2)|list }} {{ [1, 2, 3, 4]|slice(3, 0)|list }}")
case("f_format_filter", "{{ '%s-%s'|format('a', 'b') }} {{ '%(x)s'|format(x=1) }}")
case("f_attr", "[{{ d|attr('a') }}] {{ 'abc'|attr('upper') is defined }}", d={"a": 1})
case("f_striptags", "{{ '<p>Hi  <b>there</b></p>\n<!-- c --> &amp; more'|striptags }}")
# ---- tojson --------------------------------------------------------------------------------------------
case("tojson_basic", "{{ d|tojson }}", d=D)
case("tojson_indent", "{{ d|tojson(indent=4) }}|{{ d|tojson(indent=2) }}|{{ []|tojson(indent=2) }}|{{ {}|tojson(indent=2) }}|{{ [[]]|tojson(indent=1) }}|{{ d|tojson(indent=0) }}|{{ d|tojson(indent='\t') }}", d=D)
case("tojson_options", "{{ d|tojson(sort_keys=true) }}|{{ d|tojson(separators=(',', ':')) }}|{{ s|tojson(ensure_ascii=true) }}|{{ s|tojson }}", d=D, s="é😀\u2028")
case("tojson_escapes", "{{ s|tojson }}", s="q\" b\\ n\n r\r t\t b\b f\f nul\x00 us\x1f del\x7f </script> <&'>")
case("tojson_scalars", "{{ none|tojson }} {{ true|tojson }} {{ 1|tojson }} {{ 1.0|tojson }} {{ 1e-7|tojson }} {{ 'x'|tojson }} {{ (1, 'a')|tojson }} {{ {1: 'int', 2.5: 'f', true: 'b', none: 'n'}|tojson }}")
case("tojson_string_tool_result", "{{ c|tojson }}", c='{"temperature": 22, "unit": "celsius"}')
case("tojson_nested_unicode", "{{ t|tojson }}", t={"type": "function", "function": {"name": "get_weather", "description": "Météo — 天气", "parameters": {"type": "object", "properties": {"city": {"type": "string", "enum": ["الرياض", "Zürich"]}, "n": {"type": "number", "minimum": 0.5, "default": 10}}, "required": ["city"]}}})
# ---- statements ------------------------------------------------------------------------------------------
case("if_elif_else", "{% for x in [1, 2, 3, 4] %}{% if x == 1 %}one{% elif x == 2 %}two{% elif x == 3 %}three{% else %}many{% endif %} {% endfor %}")
case("for_loop_vars", "{% for x in 'abcd' %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}[{{ loop.previtem }}|{{ loop.nextitem }}]{{ loop.cycle('x', 'y', 'z') }}{{ loop.depth }} {% endfor %}")
case("for_else", "{% for x in [] %}x{% else %}empty{% endfor %}|{% for x in [1] %}x{% else %}empty{% endfor %}|{% for x in nope|default([]) %}{% else %}d{% endfor %}")
case("for_filter", "{% for m in ms if m.role != 'system' %}{{ loop.index }}/{{ loop.length }}:{{ m.role }}{{ '' if loop.last else ',' }}{% endfor %}", ms=MSGS)
case("for_unpack", "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}|{% for k, v in d|items %}{{ k }};{% endfor %}|{% for a, (b, c) in [[1, [2, 3]]] %}{{ a }}{{ b }}{{ c }}{% endfor %}", d={"x": 1, "y": [2]})
case("for_dict_and_string", "{% for k in d %}{{ k }}{% endfor %}|{% for c in 'héllo' %}{{ c }}.{% endfor %}", d={"b": 1, "a": 2})
case("for_nested_loop_access", "{% for a in [1, 2] %}{% set outer = loop %}{% for b in [3, 4] %}{{ outer.index }}{{ loop.index }} {% endfor %}{% endfor %}")
case("for_break_continue", "{% for x in range(10) %}{% if x == 2 %}{% continue %}{% endif %}{% if x == 5 %}{% break %}{% endif %}{{ x }}{% endfor %}")
case("for_else_after_break_quirk", "{% for x in [1, 2] %}{% break %}{% else %}E{% endfor %}|{% for x in [1, 2] %}{% if x == 2 %}{% break %}{% endif %}{% else %}E{% endfor %}|{% for x in [1] %}{% continue %}{% else %}E{% endfor %}")
case("for_loop_changed", "{% for x in [1, 1, 2, 2, 1] %}{% if loop.changed(x) %}{{ x }}{% endif %}{% endfor %}")
case("for_recursive", "{% for n in tree recursive %}<{{ n.name }}{% if n.children %}{{ loop(n.children) }}{% endif %}>{{ loop.depth }}{% endfor %}", tree=[{"name": "a", "children": [{"name": "b", "children": []}, {"name": "c"}]}, {"name": "d"}])
case("range", "{{ range(3)|list }} {{ range(1, 4)|list }} {{ range(10, 0, -3)|list }} {{ range(0)|list }} {% for i in range(2) %}{{ i }}{% endfor %} {{ range(5)|length }} {{ range(3) }}")
case("set_scoping_loop", "{% set z = 0 %}{% for i in [1, 2] %}{{ z }}{% set z = i %}{{ z }}{% endfor %}{{ z }}")
case("set_scoping_if", "{% set x = 1 %}{% if true %}{% set x = 2 %}{% endif %}{{ x }}")
case("set_tuple", "{% set a, b = 1, 2 %}{{ a }}{{ b }}{% set c = 1, 2 %}{{ c }}{% set (d, e) = 'xy' %}{{ d }}{{ e }}")
case("set_block", "{% set x %}\n  hello {{ 'w' }}\n{% endset %}[{{ x }}]{% set y | upper | trim %} abc {% endset %}[{{ y }}]")
case("namespace", "{% set ns = namespace(count=0, found=false) %}{% for i in [1, 2, 3] %}{% set ns.count = ns.count + i %}{% if i == 2 %}{% set ns.found = true %}{% endif %}{% endfor %}{{ ns.count }} {{ ns.found }} [{{ ns.missing }}] {{ ns }}")
case("namespace_from_dict", "{% set ns = namespace({'a': 1}, b=2) %}{{ ns.a }}{{ ns.b }}{% set ns2 = namespace() %}{% set ns2.x = 5 %}{{ ns2.x }}")
case("macro_basic", "{% macro greet(name, greeting='Hello') %}{{ greeting }}, {{ name }}!{% endmacro %}{{ greet('A') }} {{ greet('B', 'Hi') }} {{ greet(greeting='Yo', name='C') }} [{{ greet() }}]")
case("macro_varargs_kwargs", "{% macro m(a) %}{{ a }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 2, 3, x=4) }}|{{ m() }}")
case("macro_default_refers_param", "{% macro m(a, b=a ~ '!') %}{{ b }}{% endmacro %}{{ m('x') }}")
case("macro_closure", "{% macro m() %}{{ y }}{% endmacro %}{% set y = 1 %}{{ m() }}{% set y = 2 %}{{ m() }}{% for y in [3] %}{{ m() }}{% endfor %}")
case("macro_recursion", "{% macro render(v) %}{% if v is mapping %}{% for k, x in v.items() %}{{ k }}:({{ render(x) }}){% endfor %}{% elif v is iterable and v is not string %}[{% for x in v %}{{ render(x) }}{% endfor %}]{% else %}{{ v }}{% endif %}{% endmacro %}{{ render(d) }}", d=D)
case("macro_returns_string", "{% macro m() %}  x  {% endmacro %}[{{ m()|trim }}]{{ m() is string }}")
case("call_block", "{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}{% call wrap('b') %}inner {{ 1 + 1 }}{% endcall %}")
case("call_block_args", "{% macro each(xs) %}{% for x in xs %}{{ caller(x, loop.index) }}{% endfor %}{% endmacro %}{% call(item, i) each(['a', 'b']) %}{{ i }}={{ item }};{% endcall %}")
case("filter_block", "{% filter upper %}hello {{ 'w' }}{% endfilter %}|{% filter trim|replace('a', 'b') %}  aa  {% endfilter %}")
case("with_block", "{% set a = 1 %}{% with a = 2, b = a %}{{ a }}{{ b }}{% endwith %}{{ a }}")
case("print_tag", "{% print 'x' ~ 1 %}")
case("loop_over_undefined_else", "{% for x in nope %}x{% else %}E{% endfor %}")
case("joiner_cycler", "{% set j = joiner('|') %}{% for x in [1, 2, 3] %}{{ j() }}{{ x }}{% endfor %} {% set c = cycler('a', 'b') %}{{ c.next() }}{{ c.next() }}{{ c.next() }}{{ c.current }}")
case("dict_global", "{{ dict(a=1, b=2) }} {{ dict([['x', 1]]) }} {{ dict({'k': 'v'}, z=0) }}")
case("strftime_now", "{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%Y-%m-%d %H:%M:%S %A %B %j %p %I %y %a %%') }}|{{ strftime_now('%-d %-m') }}")
# ---- tests ------------------------------------------------------------------------------------------------
case("tests_types", "{% for x in xs %}{{ x is string }}{{ x is number }}{{ x is integer }}{{ x is float }}{{ x is mapping }}{{ x is iterable }}{{ x is sequence }}{{ x is boolean }}{{ x is none }}{{ x is callable }} {% endfor %}", xs=["s", 1, 1.5, True, None, [1], {"a": 1}])
case("tests_undefined", "{{ u is defined }}{{ u is undefined }}{{ u is string }}{{ u is iterable }}{{ u is sequence }}{{ u is none }}{{ u is mapping }}{{ u is callable }}")
case("tests_values", "{{ 3 is odd }}{{ 3 is even }}{{ 9 is divisibleby 3 }}{{ 9 is divisibleby(4) }}{{ true is true }}{{ 1 is true }}{{ false is false }}{{ 0 is false }}{{ 'abc' is lower }}{{ 'ABC' is upper }}{{ 'a' is in 'abc' }}{{ 1 is eq 1 }}{{ 1 is equalto 2 }}{{ 2 is gt 1 }}{{ 2 is lessthan 1 }}{{ 1 is ne 2 }}{{ 1 is ge 1 }}{{ 1 is le 0 }}{{ none is sameas none }}{{ 'upper' is filter }}{{ 'nope' is test }}")
case("tests_negated", "{{ x is not none }}{{ x is not defined }}{{ not x is defined }}{{ y is not string }}", x=1, y="s")
case("tests_generator_and_views", "{{ ([]|map('x')) is iterable }}{{ ([]|map('x')) is sequence }}{{ {}.items() is iterable }}{{ {}.items() is sequence }}{{ range(2) is sequence }}")
# ---- undefined semantics ---------------------------------------------------------------------------------
case("undef_print_concat", "[{{ u }}][{{ u ~ 'a' }}][{{ u|string }}][{{ u|trim }}][{{ u|upper }}][{{ u|length }}][{{ u|join(',') }}][{{ u|list }}][{{ u|default('d') }}][{{ u|first }}][{{ u|last }}][{{ '%s' % u }}][{{ '{}'.format(u) }}][{{ u|wordcount }}][{{ u|replace('a', 'b') }}][{{ u|reverse|list }}][{{ u|items|list }}][{{ u|sort }}][{{ u|unique|list }}][{{ u|min }}][{{ u|sum }}]")
case("undef_compare_eq", "{{ u == u }}{{ u != 1 }}{{ 1 in u }}{{ u in [1] }}{{ not u }}{{ u or 'x' }}{{ u and 'x' }}")
case("undef_from_dict_miss", "[{{ d.missing }}][{{ d['missing'] }}][{{ l[9] }}][{{ d.missing is defined }}][{{ d.get('missing') }}][{{ d.get('missing', 'dflt') }}]", d={"a": 1}, l=[])
case("undef_in_if", "{% if u %}T{% else %}F{% endif %}{% if u is defined and u.x %}X{% endif %}{% if not u %}N{% endif %}")
case("none_vs_undefined", "{{ n is none }}{{ n is defined }}[{{ n }}]{{ n|default('d') }}{{ n|default('d', true) }}", n=None)
# ---- real-template idioms ----------------------------------------------------------------------------------
case("qwen_namespace_length_minus", "{% set ns = namespace(multi_step_tool=true, last_query_index=messages|length - 1) %}{{ ns.last_query_index }}", messages=MSGS)
case("mistral_out_slice", "{% set out = d|tojson %}{{ out[:-1] }}", d={"name": "f", "arguments": {"a": 1}})
case("content_list_items", "{% for item in c %}{% if item['type'] == 'text' %}{{ item['text']|trim }}{% elif item.type == 'image' %}<img>{% endif %}{% endfor %}", c=[{"type": "text", "text": " hi "}, {"type": "image"}, {"type": "text", "text": "there"}])
case("tool_calls_arguments_mapping", "{% for tc in m.tool_calls %}{% set f = tc.function if tc.function else tc %}{{ f.name }}({% for k, v in f.arguments.items() %}{{ k }}={{ v|tojson if v is not string else v }}{{ ', ' if not loop.last }}{% endfor %}){% endfor %}", m={"role": "assistant", "content": None, "tool_calls": [{"type": "function", "function": {"name": "f", "arguments": {"s": "x", "n": 1, "l": [1, "é"], "o": {"k": None}, "b": True, "f": 0.5}}}]})
case("in_message_key", "{{ 'tool_calls' in m }} {{ 'content' in m }} {{ m.tool_calls is defined }}", m={"role": "user", "content": "x"})
case("ensure_whitespace_only_content", "[{{ c|trim }}][{{ c.strip() }}][{{ c.strip('\n') }}]", c=" \n\t \u00a0\n")
# ---- errors ---------------------------------------------------------------------------------------------------
case("err_raise_exception", "a{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}b")
case("err_raise_in_loop", "{% for m in ms %}{% if m.role == 'assistant' %}{{ raise_exception('No assistant: ' ~ m.content) }}{% endif %}{{ m.role }}{% endfor %}", ms=MSGS)
case("err_undefined_attr_of_undefined", "{{ nope.attr }}")
case("err_undefined_item_of_undefined", "{{ nope[0] }}")
case("err_undefined_call", "{{ nope() }}")
case("err_undefined_add", "{{ nope + 'a' }}")
case("err_undefined_radd", "{{ 'a' + nope }}")
case("err_undefined_method", "{{ d.missing.startswith('x') }}", d={})
case("err_undefined_compare", "{{ nope < 1 }}")
case("err_undefined_int", "{{ nope|int }}")
case("err_undefined_tojson", "{{ nope|tojson }}")
case("err_undefined_missing_key_add", "{{ m.content + '!' }}", m={"role": "user"})
case("err_list_elem_missing", "{{ l[3].x }}", l=[1])
case("err_type_concat", "{{ 'a' + 1 }}")
case("err_type_add_int_str", "{{ 1 + 'a' }}")
case("err_none_content_concat", "{{ 'x' + m.content }}", m={"content": None})
case("err_none_startswith", "{{ m.content.startswith('a') }}", m={"content": None})
case("err_none_iter", "{% for x in n %}{% endfor %}", n=None)
case("err_int_iter", "{% for x in 5 %}{% endfor %}")
case("err_len_int", "{{ 5|length }}")
case("err_len_none", "{{ n|length }}", n=None)
case("err_in_string_int", "{{ 1 in 'abc' }}")
case("err_zero_division", "{{ 1 / 0 }}")
case("err_zero_floordiv", "{{ 1 // 0 }}")
case("err_compare_types", "{{ 'a' < 1 }}")
case("err_sort_mixed", "{{ [1, 'a']|sort }}")
case("err_unpack", "{% for a, b in [[1, 2, 3]] %}{% endfor %}")
case("err_unpack_few", "{% set a, b = [1] %}")
case("err_unpack_non_iterable", "{% set a, b = 1 %}")
case("err_not_callable", "{{ 'abc'() }}")
case("err_unsafe_append", "{{ l.append(1) }}", l=[])
case("err_unsafe_pop", "{{ d.pop('a') }}", d={"a": 1})
case("err_unsafe_update", "{{ d.update({}) }}", d={"a": 1})
case("err_namespace_assign", "{% set x = 1 %}{% set x.y = 2 %}")
case("err_range_too_big", "{{ range(100001)|length }}")
case("err_macro_too_many_args", "{% macro m(a) %}{% endmacro %}{{ m(1, 2) }}")
case("err_macro_bad_kwarg", "{% macro m(a) %}{% endmacro %}{{ m(b=2) }}")
case("err_generator_length", "{{ [1]|map('string')|length }}")
case("err_generator_index", "[{{ ([1]|select)[0] }}]")
case("err_reversed_generator_last", "{{ [1]|select|last }}")
case("err_filter_runtime_in_if", "{% if true %}{{ 1|nope }}{% endif %}")
case("err_test_runtime_in_if", "{% if 1 is nope %}x{% endif %}")
case("ok_unknown_filter_in_untaken_if", "{% if false %}{{ 1|nope }}{% endif %}ok{{ 'x' if true else 1|nope }}")
case("err_split_empty_sep", "{{ 'a'.split('') }}")
case("err_slice_step_zero", "{{ [1][::0] }}")
case("err_dict_items_filter_non_mapping", "{{ [1]|items|list }}")
case("err_dictsort_list", "{{ [1]|dictsort }}")
case("err_join_method_nonstr", "{{ ','.join([1]) }}")
case("err_str_format_missing", "{{ '{} {}'.format(1) }}")
case("err_percent_args", "{{ '%s %s' % 'a' }}")
case("err_tojson_namespace", "{{ namespace(a=1)|tojson }}")
case("err_map_no_filter", "{{ [1]|map|list }}")
case("err_unhashable_key", "{{ {[1]: 2} }}")
case("err_abs_str", "{{ 'a'|abs }}")
case("err_round_str", "{{ 'a'|round }}")
case("err_indent_int", "{{ 5|indent }}")
case("err_mul_seq_float", "{{ 'a' * 1.5 }}")
case("err_neg_str", "{{ -'a' }}")
case("err_loop_cycle_empty", "{% for x in [1] %}{{ loop.cycle() }}{% endfor %}")
case("err_index_not_found", "{{ [1, 2].index(3) }}")
case("err_caller_missing", "{% macro m() %}{{ caller() }}{% endmacro %}{{ m() }}")

# ---- less common constructs ---------------------------------------------------------------------------------
case("loop_filtered_lookahead", "{% for x in xs if x % 2 %}{{ x }}{{ loop.last }}{{ loop.nextitem }}{{ loop.previtem }}{{ loop.revindex }},{% endfor %}", xs=[1, 2, 3, 4, 5, 6, 7])
case("loop_length_midway", "{% for x in xs if x > 1 %}{% if loop.first %}{{ loop.length }}{% endif %}{{ x }}{% endfor %}", xs=[1, 2, 3, 4])
case("loop_recursive_depth", "{% for n in t recursive %}{{ loop.depth0 }}{{ n.v }}{% if n.c %}[{{ loop(n.c) }}]{% endif %}{% endfor %}", t=[{"v": "a", "c": [{"v": "b", "c": [{"v": "c"}]}]}])
case("macro_explicit_caller", "{% macro m(caller) %}<{{ caller() }}>{% endmacro %}{% call m() %}x{% endcall %}")
case("macro_set_does_not_leak", "{% set x = 1 %}{% macro m() %}{% set x = 2 %}{{ x }}{% endmacro %}{{ m() }}{{ x }}")
case("macro_mutates_namespace", "{% set ns = namespace(n=0) %}{% macro inc(ns) %}{% set ns.n = ns.n + 1 %}{% endmacro %}{{ inc(ns) }}{{ inc(ns) }}{{ ns.n }}")
case("macro_star_args", "{% macro m(a, b, c=3) %}{{ a }}{{ b }}{{ c }}{% endmacro %}{{ m(*[1, 2]) }}|{{ m(**{'a': 4, 'b': 5}) }}|{{ m(1, **{'b': 2, 'c': 9}) }}")
case("caller_varargs", "{% macro m() %}{{ caller(1, 2, 3) }}{% endmacro %}{% call(a) m() %}{{ a }}{{ varargs }}{% endcall %}")
case("with_scoping", "{% set a = 1 %}{% with %}{% set a = 2 %}{{ a }}{% endwith %}{{ a }}")
case("string_times_negative", "[{{ 'ab' * -1 }}][{{ [1] * 0 }}]")
case("in_views", "{{ 1 in {'a': 1}.values() }} {{ 'a' in {'a': 1}.keys() }} {{ ('a', 1) in {'a': 1}.items() }} {{ 2 in range(3) }} {{ 'b' in ('a', 'b') }}")
case("percent_misc", "{{ '%c%c' % (72, 'i') }}|{{ '%5s|%-5s|%.2s' % ('ab', 'cd', 'efg') }}|{{ '%+d % d %05.1f %x %o %X %#x %e %E %g %G' % (5, 5, 2.25, 255, 8, 255, 255, 12345.678, 0.000012, 1e20, 1e-10) }}|{{ '%(a)s %(a)r' % {'a': 'q'} }}|{{ '%s' % (none,) }}")
case("format_misc", "{{ '{:*^9}|{:>+6.1f}|{:<4d}|{:08.3f}|{:b}|{:o}|{:#x}|{:c}|{:10}|{!s:>4}'.format('mid', 2.25, 7, -3.14159, 5, 8, 255, 65, 'left', 1) }}|{{ '{0.a}{0[b]}'.format({'a': 1, 'b': 2}) }}")
case("integer_literals", "{{ 0x1F }} {{ 1_000 }} {{ 0b101 }} {{ 0o17 }} {{ 1e3 }} {{ 1_0.5 }} {{ 2E-2 }} {{ 00 }}")
case("keywords_capitalised", "{{ True }} {{ False }} {{ None }} {{ true is sameas True }}")
case("not_precedence", "{{ not 1 in [1] }} {{ not 1 == 2 }} {{ (not 1) == 2 }} {{ not not 'x' }}")
case("compare_list_tuple_types", "{{ [1] == (1,) }} {{ [1, 2] < [1, 2, 0] }} {{ (1, 'a') < (1, 'b') }}")
case("selectattr_first_default", "{{ (ms|selectattr('role', 'eq', 'tool')|first) is defined }} {{ (ms|selectattr('role', 'eq', 'user')|first).content }} {{ ms|map(attribute='role')|unique|list }}", ms=MSGS)
case("dict_literal_key_merge", "{{ {1: 'a', 1.0: 'b', true: 'c'} }} {{ {'x': 1, 'x': 2} }}")
case("tojson_of_dict_items", "{{ {'a': 1}|items|list|tojson }} {{ {'a': 1}|dictsort|tojson }}")
case("err_divisibleby_zero", "{{ 4 is divisibleby 0 }}")
case("err_compare_list_tuple", "{{ [1] < (1,) }}")
case("err_tojson_dict_items_view", "{{ {'a': 1}.items()|tojson }}")
case("err_unknown_test_capital_none", "{{ x is None }}")

# ---- numbers printed the Python way, over many random values (seeded, so the file is reproducible) ---------
_rng = random.Random(20240726)
FLOATS = ([_rng.uniform(-1, 1) * 10 ** _rng.randint(-30, 30) for _ in range(300)]
          + [_rng.randint(-10**6, 10**6) / 10 ** _rng.randint(0, 8) for _ in range(200)]
          + [5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 0.1 + 0.2, 1 / 3, 2 / 3, 9007199254740993.0,
             123456789012345680.0, 1e16 - 2, 0.30000000000000004, 4.35, 2.675, 1.005, 0.5, 1.5, 2.5, -2.5])
case("float_repr_many", "{{ xs }}", xs=FLOATS)
case("float_tojson_many", "{{ xs|tojson }}", xs=FLOATS)
case("float_percent_many", "{% for x in xs %}{{ '%.3f|%e|%g|%10.4f|%d' % (x, x, x, x, x) }};{% endfor %}", xs=FLOATS[300:])
case("float_format_many", "{% for x in xs %}{{ '{:.2f}|{:.5g}|{:e}|{:.1%}|{}|{:,.2f}'.format(x, x, x, x, x, x) }};{% endfor %}", xs=FLOATS[300:])
case("float_round_many", "{% for x in xs %}{{ x|round(3) }}|{{ x|round(1, 'floor') }}|{{ x|round }}|{{ x|int }};{% endfor %}", xs=FLOATS[300:])
case("float_arith_many", "{% for x in xs %}{{ x * 3 }}|{{ x / 7 }}|{{ x // 0.3 }}|{{ x % 0.7 }}|{{ x + 0.1 }};{% endfor %}", xs=FLOATS[300:])
case("int_arith_many", "{% for x in xs %}{{ x // 7 }}|{{ x % 7 }}|{{ x / 4 }}|{{ x ** 2 }}|{{ -x // 3 }}|{{ x % -5 }};{% endfor %}", xs=[_rng.randint(-10**6, 10**6) for _ in range(100)])

# ---- strings over random Unicode (seeded) -------------------------------------------------------------------
_ALPHABET = ("abcXYZ019 _-.,'\"\\/<>&{}%#\t\n\r\x00\x07\x1b\x7f\x85\xa0\xad\xdf\xe9\xff\u0130\u0131\u01c5\u0300"
             "\u0627\u064b\u0640\u200b\u200d\u2028\u2029\u202f\u3000\u4e2d\uac00\ufb01\ufeff\uff21\U0001F600\U0001F468"
             "\U00020000\u1680\u2003\u0085\u1e9e\u03a3\u03c3\u0345\u2126\u212a\u00b5\u0149\u1f88")
STRINGS = ["".join(_rng.choice(_ALPHABET) for _ in range(_rng.randint(0, 12))) for _ in range(150)]
case("string_repr_many", "{{ xs }}", xs=STRINGS)
case("string_tojson_many", "{{ xs|tojson }}|{{ xs|tojson(ensure_ascii=true) }}", xs=STRINGS)
case("string_case_many", "{% for s in xs %}{{ s.upper() }}|{{ s.lower() }}|{{ s|title }}|{{ s.title() }}|{{ s|capitalize }}|{{ s.swapcase() }};{% endfor %}", xs=STRINGS)
case("string_space_many", "{% for s in xs %}{{ s|trim }}|{{ s.strip() }}|{{ s.lstrip() }}|{{ s.rstrip() }}|{{ s.split() }}|{{ s.rsplit(None, 1) }}|{{ s.split('a') }}|{{ s|wordcount }};{% endfor %}", xs=STRINGS)
case("string_index_many", "{% for s in xs %}{{ s|length }}|{{ s[1:5] }}|{{ s[::-1] }}|{{ s[-3:] }}|{{ s[::3] }}|{{ s|reverse }}|{{ s.find('a') }}|{{ s.count('a') }}|{{ s|list|length }};{% endfor %}", xs=STRINGS)
case("string_tests_many", "{% for s in xs %}{{ s is lower }}{{ s is upper }}{{ s.isspace() }}{{ s.isalpha() }}{{ s.isdigit() }}{{ s.isalnum() }}{{ s.islower() }}{{ s.istitle() }};{% endfor %}", xs=STRINGS)
case("string_sort_many", "{{ xs|sort }}|{{ xs|sort(case_sensitive=true) }}|{{ xs|unique|list|length }}|{{ xs|max }}|{{ xs|min }}", xs=STRINGS)
case("string_splitlines_indent_many", "{% for s in xs %}{{ s.splitlines() }}|{{ s|indent(2, true) }};{% endfor %}", xs=STRINGS)

# ---- whitespace control over random layouts (seeded) ----------------------------------------------------------
_GAPS = ["", " ", "  ", "\n", " \n", "\n  ", "\t", "\n\n", " \t\n ", "\u3000", "x", " x ", "\nx\n"]


def _tag(kind, body):
    left, right = _rng.choice(["", "-", "+"]), _rng.choice(["", "-", "+"])
    if kind == "var":
        return "{{" + left.replace("+", "") + " " + body + " " + right.replace("+", "") + "}}"
    if kind == "comment":
        return "{#" + left + " " + body + " " + right + "#}"
    return "{%" + left + " " + body + " " + right + "%}"


def _random_layout():
    parts = []
    for _ in range(_rng.randint(2, 6)):
        parts.append(_rng.choice(_GAPS))
        kind = _rng.choice(["if", "for", "set", "var", "comment", "raw"])
        if kind == "if":
            parts += [_tag("block", "if true"), _rng.choice(_GAPS), "A", _rng.choice(_GAPS), _tag("block", "else"),
                      _rng.choice(_GAPS), "B", _rng.choice(_GAPS), _tag("block", "endif")]
        elif kind == "for":
            parts += [_tag("block", "for i in [1, 2]"), _rng.choice(_GAPS), _tag("var", "i"), _rng.choice(_GAPS), _tag("block", "endfor")]
        elif kind == "set":
            parts.append(_tag("block", "set x = 1"))
        elif kind == "var":
            parts.append(_tag("var", "'v'"))
        elif kind == "comment":
            parts.append(_tag("comment", "note"))
        else:
            parts += [_tag("block", "raw").replace("+", ""), _rng.choice(_GAPS), "{{ r }}", _rng.choice(_GAPS), _tag("block", "endraw")]
    parts.append(_rng.choice(_GAPS + ["\n"]))
    return "".join(parts)


for _n in range(120):
    case(f"whitespace_random_{_n:03d}", _random_layout())

# ---- syntax errors (Jinja reports them when the template is compiled) ------------------------------------
case("syn_unclosed_if", "{% if true %}\nyes\n")
case("syn_unclosed_for", "{% for x in xs %}{% if x %}a{% endif %}")
case("syn_unclosed_nested", "{% for x in xs %}\n{% if x %}\na\n{% endfor %}")
case("syn_unknown_tag", "line1\n{% frobnicate %}")
case("syn_unknown_end_tag", "{% if true %}{% endfor %}{% endif %}")
case("syn_stray_end", "{% endif %}")
case("syn_unknown_filter", "a\n{{ x|nope }}")
case("syn_unknown_test", "{{ x is nope }}")
case("syn_unclosed_variable", "{{ x ")
case("syn_unclosed_comment", "a {# never closed")
case("syn_unclosed_string", "{{ 'abc }}")
case("syn_bad_brace", "{{ x) }}")
case("syn_bad_char", "{{ x $ y }}")
case("syn_missing_expression", "{{ }}")
case("syn_assign_const", "{% set true = 1 %}")
case("syn_macro_default_order", "{% macro m(a=1, b) %}{% endmacro %}")
case("syn_call_needs_call", "{% call m %}{% endcall %}")
case("syn_chained_is", "{{ x is defined is defined }}")
case("syn_else_in_for_twice", "{% for x in y %}{% else %}{% else %}{% endfor %}")
case("syn_expected_in", "{% for x of y %}{% endfor %}")
case("syn_line_number", "a\nb\nc\n{{ 1 + }}")
case("break_inside_set_block", "{% for x in [1, 2, 3] %}{% set y %}{{ x }}{% if x == 2 %}{% break %}{% endif %}{% endset %}{{ y }}{% endfor %}")
case("break_in_for_else_of_inner_loop", "{% for x in [1, 2] %}{% for y in [] %}{% else %}{% break %}{% endfor %}{{ x }}{% endfor %}done")
case("err_line_number_runtime", "a\n{% for m in ms %}\n{{ m.content + 1 }}\n{% endfor %}", ms=[{"content": "x"}])


def render(template, context):
    try:
        return {"rendered": env.from_string(template).render(**context)}
    except Exception as e:  # noqa: BLE001 - the error is the expected output
        record = {"error_type": type(e).__name__, "error": str(e)}
        line = getattr(e, "lineno", None)
        if line is None:
            # a runtime error: Jinja rewrites the traceback so the template's frames carry its lines
            frames = [f for f in traceback.extract_tb(e.__traceback__) if f.filename == "<template>"]
            line = frames[-1].lineno if frames else None
        if line is not None:
            record["line"] = line
        return record


def main():
    seen = set()
    with open("jinja_features.jsonl", "w", encoding="utf-8") as out:
        for name, template, context in CASES:
            assert name not in seen, name
            seen.add(name)
            record = {"id": name, "template": template, "context": context}
            record.update(render(template, context))
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"wrote {len(CASES)} cases", file=sys.stderr)


if __name__ == "__main__":
    main()
