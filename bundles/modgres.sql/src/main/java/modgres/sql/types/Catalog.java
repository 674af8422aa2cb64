package modgres.sql.types;

/*
 * Design notes
 * ------------
 * The operator and function catalog (rows taken from a PostgreSQL 15
 * pg_operator / pg_proc, restricted to the built-in types of this package)
 * and PostgreSQL's resolution rules (parse_oper.c, parse_func.c):
 *
 *   1. exact match on the argument types; for a binary operator with one
 *      unknown (literal) side, the other side's type is tried for both;
 *   2. else the candidates with that name and arity whose declared types all
 *      accept the actual ones by implicit coercion (unknown accepts all);
 *   3. one left → it; else func_select_candidate: keep those with the most
 *      exact matches; then the most matches-or-preferred-types at known
 *      positions; then resolve unknown positions by category (STRING wins,
 *      else a category all agree on, preferring preferred types); finally,
 *      if all known inputs have one type, assume the unknowns have it too.
 *   4. none or several → 42883 "does not exist" / 42725 "is not unique"
 *      with PostgreSQL's hints.
 *
 * Polymorphic declarations (anyelement, anynonarray, anyarray,
 * anycompatible[array], "any") accept any type; the call binds the element
 * type (unknown alone binds to text) and derives the result type.
 */

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import modgres.api.error.PgException;

/** The operator/function/aggregate catalog and the resolution of a call to one entry. */
public final class Catalog {
    // name left right result proc (left 0 = prefix operator)
    private static final String OPERATORS = """
!~ 19 25 16 nameregexne
!~ 25 25 16 textregexne
!~ 1042 25 16 bpcharregexne
!~* 19 25 16 nameicregexne
!~* 25 25 16 texticregexne
!~* 1042 25 16 bpcharicregexne
!~~ 17 17 16 byteanlike
!~~ 19 25 16 namenlike
!~~ 25 25 16 textnlike
!~~ 1042 25 16 bpcharnlike
!~~* 19 25 16 nameicnlike
!~~* 25 25 16 texticnlike
!~~* 1042 25 16 bpcharicnlike
# 20 20 20 int8xor
# 21 21 21 int2xor
# 23 23 23 int4xor
% 20 20 20 int8mod
% 21 21 21 int2mod
% 23 23 23 int4mod
% 1700 1700 1700 numeric_mod
& 20 20 20 int8and
& 21 21 21 int2and
& 23 23 23 int4and
* 20 20 20 int8mul
* 20 21 20 int82mul
* 20 23 20 int84mul
* 21 20 20 int28mul
* 21 21 21 int2mul
* 21 23 23 int24mul
* 23 20 20 int48mul
* 23 21 23 int42mul
* 23 23 23 int4mul
* 700 700 700 float4mul
* 700 701 701 float48mul
* 701 700 701 float84mul
* 701 701 701 float8mul
* 701 1186 1186 mul_d_interval
* 1186 701 1186 interval_mul
* 1700 1700 1700 numeric_mul
+ 0 20 20 int8up
+ 0 21 21 int2up
+ 0 23 23 int4up
+ 0 700 700 float4up
+ 0 701 701 float8up
+ 0 1700 1700 numeric_uplus
+ 20 20 20 int8pl
+ 20 21 20 int82pl
+ 20 23 20 int84pl
+ 21 20 20 int28pl
+ 21 21 21 int2pl
+ 21 23 23 int24pl
+ 23 20 20 int48pl
+ 23 21 23 int42pl
+ 23 23 23 int4pl
+ 23 1082 1082 integer_pl_date
+ 700 700 700 float4pl
+ 700 701 701 float48pl
+ 701 700 701 float84pl
+ 701 701 701 float8pl
+ 1082 23 1082 date_pli
+ 1082 1083 1114 datetime_pl
+ 1082 1186 1114 date_pl_interval
+ 1083 1082 1114 timedate_pl
+ 1083 1186 1083 time_pl_interval
+ 1114 1186 1114 timestamp_pl_interval
+ 1184 1186 1184 timestamptz_pl_interval
+ 1186 1082 1114 interval_pl_date
+ 1186 1083 1083 interval_pl_time
+ 1186 1114 1114 interval_pl_timestamp
+ 1186 1184 1184 interval_pl_timestamptz
+ 1186 1186 1186 interval_pl
+ 1700 1700 1700 numeric_add
+ 1700 3220 3220 numeric_pl_pg_lsn
+ 3220 1700 3220 pg_lsn_pli
- 0 20 20 int8um
- 0 21 21 int2um
- 0 23 23 int4um
- 0 700 700 float4um
- 0 701 701 float8um
- 0 1186 1186 interval_um
- 0 1700 1700 numeric_uminus
- 20 20 20 int8mi
- 20 21 20 int82mi
- 20 23 20 int84mi
- 21 20 20 int28mi
- 21 21 21 int2mi
- 21 23 23 int24mi
- 23 20 20 int48mi
- 23 21 23 int42mi
- 23 23 23 int4mi
- 700 700 700 float4mi
- 700 701 701 float48mi
- 701 700 701 float84mi
- 701 701 701 float8mi
- 1082 23 1082 date_mii
- 1082 1082 23 date_mi
- 1082 1186 1114 date_mi_interval
- 1083 1083 1186 time_mi_time
- 1083 1186 1083 time_mi_interval
- 1114 1114 1186 timestamp_mi
- 1114 1186 1114 timestamp_mi_interval
- 1184 1184 1186 timestamptz_mi
- 1184 1186 1184 timestamptz_mi_interval
- 1186 1186 1186 interval_mi
- 1700 1700 1700 numeric_sub
- 3220 1700 3220 pg_lsn_mii
- 3220 3220 1700 pg_lsn_mi
/ 20 20 20 int8div
/ 20 21 20 int82div
/ 20 23 20 int84div
/ 21 20 20 int28div
/ 21 21 21 int2div
/ 21 23 23 int24div
/ 23 20 20 int48div
/ 23 21 23 int42div
/ 23 23 23 int4div
/ 700 700 700 float4div
/ 700 701 701 float48div
/ 701 700 701 float84div
/ 701 701 701 float8div
/ 1186 701 1186 interval_div
/ 1700 1700 1700 numeric_div
< 16 16 16 boollt
< 17 17 16 bytealt
< 18 18 16 charlt
< 19 19 16 namelt
< 19 25 16 namelttext
< 20 20 16 int8lt
< 20 21 16 int82lt
< 20 23 16 int84lt
< 21 20 16 int28lt
< 21 21 16 int2lt
< 21 23 16 int24lt
< 23 20 16 int48lt
< 23 21 16 int42lt
< 23 23 16 int4lt
< 25 19 16 textltname
< 25 25 16 text_lt
< 26 26 16 oidlt
< 700 700 16 float4lt
< 700 701 16 float48lt
< 701 700 16 float84lt
< 701 701 16 float8lt
< 1042 1042 16 bpcharlt
< 1082 1082 16 date_lt
< 1082 1114 16 date_lt_timestamp
< 1082 1184 16 date_lt_timestamptz
< 1083 1083 16 time_lt
< 1114 1082 16 timestamp_lt_date
< 1114 1114 16 timestamp_lt
< 1114 1184 16 timestamp_lt_timestamptz
< 1184 1082 16 timestamptz_lt_date
< 1184 1114 16 timestamptz_lt_timestamp
< 1184 1184 16 timestamptz_lt
< 1186 1186 16 interval_lt
< 1700 1700 16 numeric_lt
< 2950 2950 16 uuid_lt
< 3220 3220 16 pg_lsn_lt
<< 20 23 20 int8shl
<< 21 23 21 int2shl
<< 23 23 23 int4shl
<= 16 16 16 boolle
<= 17 17 16 byteale
<= 18 18 16 charle
<= 19 19 16 namele
<= 19 25 16 nameletext
<= 20 20 16 int8le
<= 20 21 16 int82le
<= 20 23 16 int84le
<= 21 20 16 int28le
<= 21 21 16 int2le
<= 21 23 16 int24le
<= 23 20 16 int48le
<= 23 21 16 int42le
<= 23 23 16 int4le
<= 25 19 16 textlename
<= 25 25 16 text_le
<= 26 26 16 oidle
<= 700 700 16 float4le
<= 700 701 16 float48le
<= 701 700 16 float84le
<= 701 701 16 float8le
<= 1042 1042 16 bpcharle
<= 1082 1082 16 date_le
<= 1082 1114 16 date_le_timestamp
<= 1082 1184 16 date_le_timestamptz
<= 1083 1083 16 time_le
<= 1114 1082 16 timestamp_le_date
<= 1114 1114 16 timestamp_le
<= 1114 1184 16 timestamp_le_timestamptz
<= 1184 1082 16 timestamptz_le_date
<= 1184 1114 16 timestamptz_le_timestamp
<= 1184 1184 16 timestamptz_le
<= 1186 1186 16 interval_le
<= 1700 1700 16 numeric_le
<= 2950 2950 16 uuid_le
<= 3220 3220 16 pg_lsn_le
<> 16 16 16 boolne
<> 17 17 16 byteane
<> 18 18 16 charne
<> 19 19 16 namene
<> 19 25 16 namenetext
<> 20 20 16 int8ne
<> 20 21 16 int82ne
<> 20 23 16 int84ne
<> 21 20 16 int28ne
<> 21 21 16 int2ne
<> 21 23 16 int24ne
<> 23 20 16 int48ne
<> 23 21 16 int42ne
<> 23 23 16 int4ne
<> 25 19 16 textnename
<> 25 25 16 textne
<> 26 26 16 oidne
<> 700 700 16 float4ne
<> 700 701 16 float48ne
<> 701 700 16 float84ne
<> 701 701 16 float8ne
<> 1042 1042 16 bpcharne
<> 1082 1082 16 date_ne
<> 1082 1114 16 date_ne_timestamp
<> 1082 1184 16 date_ne_timestamptz
<> 1083 1083 16 time_ne
<> 1114 1082 16 timestamp_ne_date
<> 1114 1114 16 timestamp_ne
<> 1114 1184 16 timestamp_ne_timestamptz
<> 1184 1082 16 timestamptz_ne_date
<> 1184 1114 16 timestamptz_ne_timestamp
<> 1184 1184 16 timestamptz_ne
<> 1186 1186 16 interval_ne
<> 1700 1700 16 numeric_ne
<> 2950 2950 16 uuid_ne
<> 3220 3220 16 pg_lsn_ne
= 16 16 16 booleq
= 17 17 16 byteaeq
= 18 18 16 chareq
= 19 19 16 nameeq
= 19 25 16 nameeqtext
= 20 20 16 int8eq
= 20 21 16 int82eq
= 20 23 16 int84eq
= 21 20 16 int28eq
= 21 21 16 int2eq
= 21 23 16 int24eq
= 23 20 16 int48eq
= 23 21 16 int42eq
= 23 23 16 int4eq
= 25 19 16 texteqname
= 25 25 16 texteq
= 26 26 16 oideq
= 700 700 16 float4eq
= 700 701 16 float48eq
= 701 700 16 float84eq
= 701 701 16 float8eq
= 1042 1042 16 bpchareq
= 1082 1082 16 date_eq
= 1082 1114 16 date_eq_timestamp
= 1082 1184 16 date_eq_timestamptz
= 1083 1083 16 time_eq
= 1114 1082 16 timestamp_eq_date
= 1114 1114 16 timestamp_eq
= 1114 1184 16 timestamp_eq_timestamptz
= 1184 1082 16 timestamptz_eq_date
= 1184 1114 16 timestamptz_eq_timestamp
= 1184 1184 16 timestamptz_eq
= 1186 1186 16 interval_eq
= 1700 1700 16 numeric_eq
= 2950 2950 16 uuid_eq
= 3220 3220 16 pg_lsn_eq
= 28 28 16 xideq
= 28 23 16 xideqint4
<> 28 28 16 xidneq
<> 28 23 16 xidneqint4
= 5069 5069 16 xid8eq
<> 5069 5069 16 xid8ne
< 5069 5069 16 xid8lt
<= 5069 5069 16 xid8le
> 5069 5069 16 xid8gt
>= 5069 5069 16 xid8ge
> 16 16 16 boolgt
> 17 17 16 byteagt
> 18 18 16 chargt
> 19 19 16 namegt
> 19 25 16 namegttext
> 20 20 16 int8gt
> 20 21 16 int82gt
> 20 23 16 int84gt
> 21 20 16 int28gt
> 21 21 16 int2gt
> 21 23 16 int24gt
> 23 20 16 int48gt
> 23 21 16 int42gt
> 23 23 16 int4gt
> 25 19 16 textgtname
> 25 25 16 text_gt
> 26 26 16 oidgt
> 700 700 16 float4gt
> 700 701 16 float48gt
> 701 700 16 float84gt
> 701 701 16 float8gt
> 1042 1042 16 bpchargt
> 1082 1082 16 date_gt
> 1082 1114 16 date_gt_timestamp
> 1082 1184 16 date_gt_timestamptz
> 1083 1083 16 time_gt
> 1114 1082 16 timestamp_gt_date
> 1114 1114 16 timestamp_gt
> 1114 1184 16 timestamp_gt_timestamptz
> 1184 1082 16 timestamptz_gt_date
> 1184 1114 16 timestamptz_gt_timestamp
> 1184 1184 16 timestamptz_gt
> 1186 1186 16 interval_gt
> 1700 1700 16 numeric_gt
> 2950 2950 16 uuid_gt
> 3220 3220 16 pg_lsn_gt
>= 16 16 16 boolge
>= 17 17 16 byteage
>= 18 18 16 charge
>= 19 19 16 namege
>= 19 25 16 namegetext
>= 20 20 16 int8ge
>= 20 21 16 int82ge
>= 20 23 16 int84ge
>= 21 20 16 int28ge
>= 21 21 16 int2ge
>= 21 23 16 int24ge
>= 23 20 16 int48ge
>= 23 21 16 int42ge
>= 23 23 16 int4ge
>= 25 19 16 textgename
>= 25 25 16 text_ge
>= 26 26 16 oidge
>= 700 700 16 float4ge
>= 700 701 16 float48ge
>= 701 700 16 float84ge
>= 701 701 16 float8ge
>= 1042 1042 16 bpcharge
>= 1082 1082 16 date_ge
>= 1082 1114 16 date_ge_timestamp
>= 1082 1184 16 date_ge_timestamptz
>= 1083 1083 16 time_ge
>= 1114 1082 16 timestamp_ge_date
>= 1114 1114 16 timestamp_ge
>= 1114 1184 16 timestamp_ge_timestamptz
>= 1184 1082 16 timestamptz_ge_date
>= 1184 1114 16 timestamptz_ge_timestamp
>= 1184 1184 16 timestamptz_ge
>= 1186 1186 16 interval_ge
>= 1700 1700 16 numeric_ge
>= 2950 2950 16 uuid_ge
>= 3220 3220 16 pg_lsn_ge
>> 20 23 20 int8shr
>> 21 23 21 int2shr
>> 23 23 23 int4shr
@ 0 20 20 int8abs
@ 0 21 21 int2abs
@ 0 23 23 int4abs
@ 0 700 700 float4abs
@ 0 701 701 float8abs
@ 0 1700 1700 numeric_abs
^ 701 701 701 dpow
^ 1700 1700 1700 numeric_power
^@ 25 25 16 starts_with
| 20 20 20 int8or
| 21 21 21 int2or
| 23 23 23 int4or
|/ 0 701 701 dsqrt
|| 17 17 17 byteacat
|| 25 25 25 textcat
||/ 0 701 701 dcbrt
~ 0 20 20 int8not
~ 0 21 21 int2not
~ 0 23 23 int4not
~ 19 25 16 nameregexeq
~ 25 25 16 textregexeq
~ 1042 25 16 bpcharregexeq
~* 19 25 16 nameicregexeq
~* 25 25 16 texticregexeq
~* 1042 25 16 bpcharicregexeq
~~ 17 17 16 bytealike
~~ 19 25 16 namelike
~~ 25 25 16 textlike
~~ 1042 25 16 bpcharlike
~~* 19 25 16 nameiclike
~~* 25 25 16 texticlike
~~* 1042 25 16 bpchariclike
|| 25 2776 25 textanycat
|| 2776 25 25 anytextcat
|| 5078 5077 5078 array_append
|| 5077 5078 5078 array_prepend
|| 5078 5078 5078 array_cat
= 2277 2277 16 array_eq
<> 2277 2277 16 array_ne
< 2277 2277 16 array_lt
> 2277 2277 16 array_gt
<= 2277 2277 16 array_le
>= 2277 2277 16 array_ge
&& 2277 2277 16 arrayoverlap
@> 2277 2277 16 arraycontains
<@ 2277 2277 16 arraycontained
            """;

    // name argoids result proc variadic flags(volatility, strict, kind)
    private static final String FUNCTIONS = """
abs 1700 1700 numeric_abs 0 itf
abs 20 20 int8abs 0 itf
abs 21 21 int2abs 0 itf
abs 23 23 int4abs 0 itf
abs 700 700 float4abs 0 itf
abs 701 701 float8abs 0 itf
acos 701 701 dacos 0 itf
age 1114,1114 1186 timestamp_age 0 itf
age 1114 1186 age(1114) 0 stf
age 1184,1184 1186 timestamptz_age 0 itf
age 1184 1186 age(1184) 0 stf
array_agg 2277 2277 array_agg(2277) 0 ifa
array_agg 2776 2277 array_agg(2776) 0 ifa
array_append 5078,5077 5078 array_append 0 iff
array_cat 5078,5078 5078 array_cat 0 iff
array_dims 2277 25 array_dims 0 itf
array_length 2277,23 23 array_length 0 itf
array_lower 2277,23 23 array_lower 0 itf
array_ndims 2277 23 array_ndims 0 itf
array_position 5078,5077,23 23 array_position_start 0 iff
array_position 5078,5077 23 array_position 0 iff
array_prepend 5077,5078 5078 array_prepend 0 iff
array_to_string 2277,25,25 25 array_to_text_null 0 sff
array_to_string 2277,25 25 array_to_text 0 stf
array_upper 2277,23 23 array_upper 0 itf
ascii 25 23 ascii 0 itf
asin 701 701 dasin 0 itf
atan2 701,701 701 datan2 0 itf
atan 701 701 datan 0 itf
avg 1186 1186 avg(1186) 0 ifa
avg 1700 1700 avg(1700) 0 ifa
avg 20 1700 avg(20) 0 ifa
avg 21 1700 avg(21) 0 ifa
avg 23 1700 avg(23) 0 ifa
avg 700 701 avg(700) 0 ifa
avg 701 701 avg(701) 0 ifa
bit_length 17 23 bit_length(17) 0 itf
bit_length 25 23 bit_length(25) 0 itf
bool_and 16 16 bool_and(16) 0 ifa
bool_or 16 16 bool_or(16) 0 ifa
bool 23 16 int4_bool 0 itf
bpchar 1042,23,16 1042 bpchar 0 itf
bpchar 18 1042 char_bpchar 0 itf
bpchar 19 1042 name_bpchar 0 itf
btrim 17,17 17 byteatrim 0 itf
btrim 25,25 25 btrim 0 itf
btrim 25 25 btrim1 0 itf
cardinality 2277 23 array_cardinality 0 itf
cbrt 701 701 dcbrt 0 itf
ceiling 1700 1700 numeric_ceil 0 itf
ceiling 701 701 dceil 0 itf
ceil 1700 1700 numeric_ceil 0 itf
ceil 701 701 dceil 0 itf
char_length 1042 23 bpcharlen 0 itf
char_length 25 23 textlen 0 itf
character_length 1042 23 bpcharlen 0 itf
character_length 25 23 textlen 0 itf
chr 23 25 chr 0 itf
clock_timestamp - 1184 clock_timestamp 0 vtf
concat_ws 25,2276 25 text_concat_ws 2276 sff
concat 2276 25 text_concat 2276 sff
cosh 701 701 dcosh 0 itf
cos 701 701 dcos 0 itf
cot 701 701 dcot 0 itf
count 2276 20 count(2276) 0 ifa
count - 20 count() 0 ifa
date_bin 1186,1114,1114 1114 timestamp_bin 0 itf
date_bin 1186,1184,1184 1184 timestamptz_bin 0 itf
date_part 25,1082 701 date_part(25,1082) 0 itf
date_part 25,1083 701 time_part 0 itf
date_part 25,1114 701 timestamp_part 0 itf
date_part 25,1184 701 timestamptz_part 0 stf
date_part 25,1186 701 interval_part 0 itf
date_trunc 25,1114 1114 timestamp_trunc 0 itf
date_trunc 25,1184,25 1184 timestamptz_trunc_zone 0 stf
date_trunc 25,1184 1184 timestamptz_trunc 0 stf
date_trunc 25,1186 1186 interval_trunc 0 itf
date 1114 1082 timestamp_date 0 itf
date 1184 1082 timestamptz_date 0 stf
decode 25,25 17 binary_decode 0 itf
degrees 701 701 degrees 0 itf
div 1700,1700 1700 numeric_div_trunc 0 itf
encode 17,25 25 binary_encode 0 itf
every 16 16 every(16) 0 ifa
exp 1700 1700 numeric_exp 0 itf
exp 701 701 dexp 0 itf
extract 25,1082 1700 extract_date 0 itf
extract 25,1083 1700 extract_time 0 itf
extract 25,1114 1700 extract_timestamp 0 itf
extract 25,1184 1700 extract_timestamptz 0 stf
extract 25,1186 1700 extract_interval 0 itf
factorial 20 1700 numeric_fac 0 itf
float4 1700 700 numeric_float4 0 itf
float4 20 700 i8tof 0 itf
float4 21 700 i2tof 0 itf
float4 23 700 i4tof 0 itf
float4 701 700 dtof 0 itf
float8 1700 701 numeric_float8 0 itf
float8 20 701 i8tod 0 itf
float8 21 701 i2tod 0 itf
float8 23 701 i4tod 0 itf
float8 700 701 ftod 0 itf
floor 1700 1700 numeric_floor 0 itf
floor 701 701 dfloor 0 itf
format 25,2276 25 text_format 2276 sff
format 25 25 text_format_nv 0 sff
gcd 1700,1700 1700 numeric_gcd 0 itf
gcd 20,20 20 int8gcd 0 itf
gcd 23,23 23 int4gcd 0 itf
gen_random_uuid - 2950 gen_random_uuid 0 vtf
get_byte 17,23 23 byteaGetByte 0 itf
initcap 25 25 initcap 0 itf
int2 1700 21 numeric_int2 0 itf
int2 20 21 int82 0 itf
int2 23 21 i4toi2 0 itf
int2 700 21 ftoi2 0 itf
int2 701 21 dtoi2 0 itf
int4 16 23 bool_int4 0 itf
int4 1700 23 numeric_int4 0 itf
int4 18 23 chartoi4 0 itf
int4 20 23 int84 0 itf
int4 21 23 i2toi4 0 itf
int4 700 23 ftoi4 0 itf
int4 701 23 dtoi4 0 itf
int8 1700 20 numeric_int8 0 itf
int8 21 20 int28 0 itf
int8 23 20 int48 0 itf
int8 26 20 oidtoi8 0 itf
int8 700 20 ftoi8 0 itf
int8 701 20 dtoi8 0 itf
interval 1083 1186 time_interval 0 itf
interval 1186,23 1186 interval_scale 0 itf
isfinite 1082 16 date_finite 0 itf
isfinite 1114 16 timestamp_finite 0 itf
isfinite 1184 16 timestamp_finite 0 itf
isfinite 1186 16 interval_finite 0 itf
justify_days 1186 1186 interval_justify_days 0 itf
justify_hours 1186 1186 interval_justify_hours 0 itf
justify_interval 1186 1186 interval_justify_interval 0 itf
lcm 1700,1700 1700 numeric_lcm 0 itf
lcm 20,20 20 int8lcm 0 itf
lcm 23,23 23 int4lcm 0 itf
left 25,23 25 text_left 0 itf
length 1042 23 bpcharlen 0 itf
length 17 23 byteaoctetlen 0 itf
length 25 23 textlen 0 itf
ln 1700 1700 numeric_ln 0 itf
ln 701 701 dlog1 0 itf
log10 1700 1700 log10(1700) 0 itf
log10 701 701 dlog10 0 itf
log 1700,1700 1700 numeric_log 0 itf
log 1700 1700 log(1700) 0 itf
log 701 701 dlog10 0 itf
lower 25 25 lower 0 itf
lpad 25,23,25 25 lpad 0 itf
lpad 25,23 25 lpad(25,23) 0 itf
ltrim 17,17 17 bytealtrim 0 itf
ltrim 25,25 25 ltrim 0 itf
ltrim 25 25 ltrim1 0 itf
make_date 23,23,23 1082 make_date 0 itf
make_interval 23,23,23,23,23,23,701 1186 make_interval 0 itf
make_timestamptz 23,23,23,23,23,701,25 1184 make_timestamptz_at_timezone 0 stf
make_timestamptz 23,23,23,23,23,701 1184 make_timestamptz 0 stf
make_timestamp 23,23,23,23,23,701 1114 make_timestamp 0 itf
make_time 23,23,701 1083 make_time 0 itf
max 1042 1042 max(1042) 0 ifa
max 1082 1082 max(1082) 0 ifa
max 1083 1083 max(1083) 0 ifa
max 1114 1114 max(1114) 0 ifa
max 1184 1184 max(1184) 0 ifa
max 1186 1186 max(1186) 0 ifa
max 1700 1700 max(1700) 0 ifa
max 20 20 max(20) 0 ifa
max 21 21 max(21) 0 ifa
max 2277 2277 max(2277) 0 ifa
max 23 23 max(23) 0 ifa
max 25 25 max(25) 0 ifa
max 26 26 max(26) 0 ifa
max 3220 3220 max(3220) 0 ifa
max 700 700 max(700) 0 ifa
max 701 701 max(701) 0 ifa
md5 17 25 md5_bytea 0 itf
md5 25 25 md5_text 0 itf
min_scale 1700 23 numeric_min_scale 0 itf
min 1042 1042 min(1042) 0 ifa
min 1082 1082 min(1082) 0 ifa
min 1083 1083 min(1083) 0 ifa
min 1114 1114 min(1114) 0 ifa
min 1184 1184 min(1184) 0 ifa
min 1186 1186 min(1186) 0 ifa
min 1700 1700 min(1700) 0 ifa
min 20 20 min(20) 0 ifa
min 21 21 min(21) 0 ifa
min 2277 2277 min(2277) 0 ifa
min 23 23 min(23) 0 ifa
min 25 25 min(25) 0 ifa
min 26 26 min(26) 0 ifa
min 3220 3220 min(3220) 0 ifa
min 700 700 min(700) 0 ifa
min 701 701 min(701) 0 ifa
mod 1700,1700 1700 numeric_mod 0 itf
mod 20,20 20 int8mod 0 itf
mod 21,21 21 int2mod 0 itf
mod 23,23 23 int4mod 0 itf
name 1042 19 bpchar_name 0 itf
name 1043 19 text_name 0 itf
name 25 19 text_name 0 itf
now - 1184 now 0 stf
num_nonnulls 2276 23 pg_num_nonnulls 2276 iff
num_nulls 2276 23 pg_num_nulls 2276 iff
numeric 1700,23 1700 numeric 0 itf
numeric 20 1700 int8_numeric 0 itf
numeric 21 1700 int2_numeric 0 itf
numeric 23 1700 int4_numeric 0 itf
numeric 700 1700 float4_numeric 0 itf
numeric 701 1700 float8_numeric 0 itf
octet_length 1042 23 bpcharoctetlen 0 itf
octet_length 17 23 byteaoctetlen 0 itf
octet_length 25 23 textoctetlen 0 itf
overlay 17,17,23,23 17 byteaoverlay 0 itf
overlay 17,17,23 17 byteaoverlay_no_len 0 itf
overlay 25,25,23,23 25 textoverlay 0 itf
overlay 25,25,23 25 textoverlay_no_len 0 itf
pg_size_pretty 1700 25 pg_size_pretty_numeric 0 itf
pg_size_pretty 20 25 pg_size_pretty 0 itf
pg_typeof 2276 2206 pg_typeof 0 sff
pg_column_size 2276 23 pg_column_size 0 stf
pi - 701 dpi 0 itf
position 17,17 23 byteapos 0 itf
position 25,25 23 textpos 0 itf
power 1700,1700 1700 numeric_power 0 itf
power 701,701 701 dpow 0 itf
pow 1700,1700 1700 numeric_power 0 itf
pow 701,701 701 dpow 0 itf
quote_ident 25 25 quote_ident 0 itf
quote_literal 2283 25 quote_literal(2283) 0 stf
quote_literal 25 25 quote_literal 0 itf
quote_nullable 2283 25 quote_nullable(2283) 0 sff
quote_nullable 25 25 quote_nullable 0 iff
radians 701 701 radians 0 itf
random - 701 drandom 0 vtf
regexp_match 25,25,25 1009 regexp_match 0 itf
regexp_match 25,25 1009 regexp_match_no_flags 0 itf
regexp_replace 25,25,25,23,23,25 25 textregexreplace_extended 0 itf
regexp_replace 25,25,25,23,23 25 textregexreplace_extended_no_flags 0 itf
regexp_replace 25,25,25,23 25 textregexreplace_extended_no_n 0 itf
regexp_replace 25,25,25,25 25 textregexreplace 0 itf
regexp_replace 25,25,25 25 textregexreplace_noopt 0 itf
repeat 25,23 25 repeat 0 itf
replace 25,25,25 25 replace_text 0 itf
reverse 25 25 text_reverse 0 itf
right 25,23 25 text_right 0 itf
round 1700,23 1700 numeric_round 0 itf
round 1700 1700 round(1700) 0 itf
round 701 701 dround 0 itf
rpad 25,23,25 25 rpad 0 itf
rpad 25,23 25 rpad(25,23) 0 itf
rtrim 17,17 17 byteartrim 0 itf
rtrim 25,25 25 rtrim 0 itf
rtrim 25 25 rtrim1 0 itf
scale 1700 23 numeric_scale 0 itf
set_byte 17,23,23 17 byteaSetByte 0 itf
setseed 701 2278 setseed 0 vtf
sha256 17 17 sha256_bytea 0 itf
sign 1700 1700 numeric_sign 0 itf
sign 701 701 dsign 0 itf
sinh 701 701 dsinh 0 itf
sin 701 701 dsin 0 itf
split_part 25,25,23 25 split_part 0 itf
sqrt 1700 1700 numeric_sqrt 0 itf
sqrt 701 701 dsqrt 0 itf
starts_with 25,25 16 text_starts_with 0 itf
statement_timestamp - 1184 statement_timestamp 0 stf
stddev_pop 1700 1700 stddev_pop(1700) 0 ifa
stddev_pop 20 1700 stddev_pop(20) 0 ifa
stddev_pop 21 1700 stddev_pop(21) 0 ifa
stddev_pop 23 1700 stddev_pop(23) 0 ifa
stddev_pop 700 701 stddev_pop(700) 0 ifa
stddev_pop 701 701 stddev_pop(701) 0 ifa
stddev_samp 1700 1700 stddev_samp(1700) 0 ifa
stddev_samp 20 1700 stddev_samp(20) 0 ifa
stddev_samp 21 1700 stddev_samp(21) 0 ifa
stddev_samp 23 1700 stddev_samp(23) 0 ifa
stddev_samp 700 701 stddev_samp(700) 0 ifa
stddev_samp 701 701 stddev_samp(701) 0 ifa
stddev 1700 1700 stddev(1700) 0 ifa
stddev 20 1700 stddev(20) 0 ifa
stddev 21 1700 stddev(21) 0 ifa
stddev 23 1700 stddev(23) 0 ifa
stddev 700 701 stddev(700) 0 ifa
stddev 701 701 stddev(701) 0 ifa
string_agg 17,17 17 string_agg(17,17) 0 ifa
string_agg 25,25 25 string_agg(25,25) 0 ifa
string_to_array 25,25,25 1009 text_to_array_null 0 iff
string_to_array 25,25 1009 text_to_array 0 iff
strpos 25,25 23 textpos 0 itf
substring 17,23,23 17 bytea_substr 0 itf
substring 17,23 17 bytea_substr_no_len 0 itf
substring 25,23,23 25 text_substr 0 itf
substring 25,23 25 text_substr_no_len 0 itf
substring 25,25,25 25 substring(25,25,25) 0 itf
substring 25,25 25 textregexsubstr 0 itf
substr 17,23,23 17 bytea_substr 0 itf
substr 17,23 17 bytea_substr_no_len 0 itf
substr 25,23,23 25 text_substr 0 itf
substr 25,23 25 text_substr_no_len 0 itf
sum 1186 1186 sum(1186) 0 ifa
sum 1700 1700 sum(1700) 0 ifa
sum 20 1700 sum(20) 0 ifa
sum 21 20 sum(21) 0 ifa
sum 23 20 sum(23) 0 ifa
sum 700 700 sum(700) 0 ifa
sum 701 701 sum(701) 0 ifa
tanh 701 701 dtanh 0 itf
tan 701 701 dtan 0 itf
textlen 25 23 textlen 0 itf
text 1042 25 rtrim1 0 itf
text 16 25 booltext 0 itf
text 18 25 char_text 0 itf
text 19 25 name_text 0 itf
timeofday - 25 timeofday 0 vtf
timestamptz 1082,1083 1184 timestamptz(1082,1083) 0 stf
timestamptz 1082 1184 date_timestamptz 0 stf
timestamptz 1114 1184 timestamp_timestamptz 0 stf
timestamptz 1184,23 1184 timestamptz_scale 0 itf
timestamp 1082,1083 1114 datetime_timestamp 0 itf
timestamp 1082 1114 date_timestamp 0 itf
timestamp 1114,23 1114 timestamp_scale 0 itf
timestamp 1184 1114 timestamptz_timestamp 0 stf
timezone 1186,1114 1184 timestamp_izone 0 itf
timezone 1186,1184 1114 timestamptz_izone 0 itf
timezone 25,1114 1184 timestamp_zone 0 itf
timezone 25,1184 1114 timestamptz_zone 0 itf
time 1083,23 1083 time_scale 0 itf
time 1114 1083 timestamp_time 0 itf
time 1184 1083 timestamptz_time 0 stf
time 1186 1083 interval_time 0 itf
to_char 1114,25 25 timestamp_to_char 0 stf
to_char 1184,25 25 timestamptz_to_char 0 stf
to_char 1186,25 25 interval_to_char 0 stf
to_char 1700,25 25 numeric_to_char 0 stf
to_char 20,25 25 int8_to_char 0 stf
to_char 23,25 25 int4_to_char 0 stf
to_char 700,25 25 float4_to_char 0 stf
to_char 701,25 25 float8_to_char 0 stf
to_date 25,25 1082 to_date 0 stf
to_hex 20 25 to_hex64 0 itf
to_hex 23 25 to_hex32 0 itf
to_number 25,25 1700 numeric_to_number 0 stf
to_timestamp 25,25 1184 to_timestamp 0 stf
to_timestamp 701 1184 float8_timestamptz 0 itf
transaction_timestamp - 1184 now 0 stf
translate 25,25,25 25 translate 0 itf
trim_scale 1700 1700 numeric_trim_scale 0 itf
trunc 1700,23 1700 numeric_trunc 0 itf
trunc 1700 1700 trunc(1700) 0 itf
trunc 701 701 dtrunc 0 itf
upper 25 25 upper 0 itf
var_pop 1700 1700 var_pop(1700) 0 ifa
var_pop 20 1700 var_pop(20) 0 ifa
var_pop 21 1700 var_pop(21) 0 ifa
var_pop 23 1700 var_pop(23) 0 ifa
var_pop 700 701 var_pop(700) 0 ifa
var_pop 701 701 var_pop(701) 0 ifa
var_samp 1700 1700 var_samp(1700) 0 ifa
var_samp 20 1700 var_samp(20) 0 ifa
var_samp 21 1700 var_samp(21) 0 ifa
var_samp 23 1700 var_samp(23) 0 ifa
var_samp 700 701 var_samp(700) 0 ifa
var_samp 701 701 var_samp(701) 0 ifa
varchar 1043,23,16 1043 varchar 0 itf
varchar 19 1043 name_text 0 itf
variance 1700 1700 variance(1700) 0 ifa
variance 20 1700 variance(20) 0 ifa
variance 21 1700 variance(21) 0 ifa
variance 23 1700 variance(23) 0 ifa
variance 700 701 variance(700) 0 ifa
variance 701 701 variance(701) 0 ifa
width_bucket 1700,1700,1700,23 23 width_bucket_numeric 0 itf
width_bucket 701,701,701,23 23 width_bucket_float8 0 itf
            """;

    private static final Map<String, List<Routine>> OPS = new HashMap<>();
    private static final Map<String, List<Routine>> FUNCS = new HashMap<>();

    static {
        for (String line : OPERATORS.split("\n")) {
            String l = line.trim();
            if (l.isEmpty()) {
                continue;
            }
            String[] f = l.split(" ");
            int left = Integer.parseInt(f[1]);
            int right = Integer.parseInt(f[2]);
            Type[] args = left == 0 ? new Type[] {type(right)} : new Type[] {type(left), type(right)};
            boolean strict = !f[4].startsWith("array_");
            Routine r = new Routine(f[0], Routine.Kind.OPERATOR, args, type(Integer.parseInt(f[3])), f[4], strict, 'i',
                    false);
            r.impl = Builtins.operator(r);
            OPS.computeIfAbsent(key(f[0], args.length), k -> new ArrayList<>()).add(r);
        }
        for (String line : FUNCTIONS.split("\n")) {
            String l = line.trim();
            if (l.isEmpty()) {
                continue;
            }
            String[] f = l.split(" ");
            Type[] args;
            if (f[1].equals("-")) {
                args = new Type[0];
            } else {
                String[] a = f[1].split(",");
                args = new Type[a.length];
                for (int i = 0; i < a.length; i++) {
                    args[i] = type(Integer.parseInt(a[i]));
                }
            }
            String flags = f[5];
            Routine.Kind kind = flags.charAt(2) == 'a' ? Routine.Kind.AGGREGATE : Routine.Kind.FUNCTION;
            Routine r = new Routine(f[0], kind, args, type(Integer.parseInt(f[2])), f[3], flags.charAt(1) == 't',
                    flags.charAt(0), !f[4].equals("0"));
            r.impl = kind == Routine.Kind.AGGREGATE ? null : Builtins.function(r);
            FUNCS.computeIfAbsent(f[0], k -> new ArrayList<>()).add(r);
        }
    }

    private Catalog() {
    }

    private static Type type(int oid) {
        Type t = switch (oid) {
            case 5077 -> Types.ANYELEMENT; // anycompatible
            case 5078 -> Types.ANYARRAY; // anycompatiblearray
            default -> Types.byOid(oid);
        };
        if (t == null) {
            throw new IllegalStateException("unknown type oid " + oid);
        }
        return t;
    }

    private static String key(String name, int nargs) {
        return name + "/" + nargs;
    }

    /** Every operator entry (for tests and introspection). */
    public static List<Routine> operators() {
        List<Routine> all = new ArrayList<>();
        OPS.values().forEach(all::addAll);
        return Collections.unmodifiableList(all);
    }

    /** Every function and aggregate entry. */
    public static List<Routine> functions() {
        List<Routine> all = new ArrayList<>();
        FUNCS.values().forEach(all::addAll);
        return Collections.unmodifiableList(all);
    }

    /** True when some function or aggregate has this name. */
    public static boolean hasFunction(String name) {
        return FUNCS.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** True when the name is an aggregate (count, sum, avg, min, max, ...). */
    public static boolean isAggregate(String name) {
        List<Routine> l = FUNCS.get(name.toLowerCase(Locale.ROOT));
        return l != null && l.stream().anyMatch(r -> r.kind() == Routine.Kind.AGGREGATE);
    }

    // ================================================================ resolution

    /**
     * Resolves {@code left name right}; {@code left} null for a prefix operator.
     *
     * @throws PgException 42883 (no such operator) or 42725 (ambiguous)
     */
    public static Routine.Resolved resolveOperator(String name, Type left, Type right) {
        Type[] in = left == null ? new Type[] {right} : new Type[] {left, right};
        List<Routine> cands = OPS.getOrDefault(key(name, in.length), List.of());
        // binary_oper_exact
        Routine exact = exact(cands, in);
        if (exact == null && in.length == 2 && (in[0] == Types.UNKNOWN) != (in[1] == Types.UNKNOWN)) {
            Type known = in[0] == Types.UNKNOWN ? in[1] : in[0];
            exact = exact(cands, new Type[] {known, known});
        }
        Routine chosen = exact;
        if (chosen == null) {
            List<Routine> ok = matching(cands, in);
            if (ok.size() == 1) {
                chosen = ok.get(0);
            } else if (ok.size() > 1) {
                List<Routine> best = selectCandidate(ok, in);
                if (best.size() == 1) {
                    chosen = best.get(0);
                } else {
                    throw new PgException("42725", "operator is not unique: " + opSignature(name, left, right), null,
                            "Could not choose a best candidate operator. You might need to add explicit type casts.");
                }
            }
        }
        if (chosen == null) {
            throw new PgException("42883", "operator does not exist: " + opSignature(name, left, right), null,
                    left == null
                            ? "No operator matches the given name and argument type. You might need to add an explicit type cast."
                            : "No operator matches the given name and argument types. You might need to add explicit type casts.");
        }
        return bind(chosen, in);
    }

    private static String opSignature(String name, Type left, Type right) {
        return left == null ? name + " " + right.sqlName() : left.sqlName() + " " + name + " " + right.sqlName();
    }

    /**
     * Resolves a call {@code name(args...)} to a function or aggregate.
     *
     * @throws PgException 42883 (no such function) or 42725 (ambiguous)
     */
    public static Routine.Resolved resolveFunction(String name, Type... args) {
        String n = name.toLowerCase(Locale.ROOT);
        List<Routine> all = FUNCS.getOrDefault(n, List.of());
        List<Routine> cands = new ArrayList<>();
        List<Type[]> expanded = new ArrayList<>();
        for (Routine r : all) {
            if (r.variadicAny()) {
                int fixed = r.nargs() - 1;
                if (args.length >= fixed + 1) {
                    Type[] decl = new Type[args.length];
                    for (int i = 0; i < args.length; i++) {
                        decl[i] = i < fixed ? r.arg(i) : Types.ANY;
                    }
                    cands.add(r);
                    expanded.add(decl);
                }
            } else if (r.nargs() == args.length) {
                cands.add(r);
                expanded.add(r.argTypes());
            }
        }
        Routine chosen = null;
        Type[] chosenDecl = null;
        for (int i = 0; i < cands.size(); i++) {
            if (java.util.Arrays.equals(expanded.get(i), args)) {
                chosen = cands.get(i);
                chosenDecl = expanded.get(i);
            }
        }
        if (chosen == null) {
            List<Integer> ok = new ArrayList<>();
            for (int i = 0; i < cands.size(); i++) {
                if (accepts(expanded.get(i), args)) {
                    ok.add(i);
                }
            }
            if (ok.size() == 1) {
                chosen = cands.get(ok.get(0));
                chosenDecl = expanded.get(ok.get(0));
            } else if (ok.size() > 1) {
                List<Type[]> decls = new ArrayList<>();
                for (int i : ok) {
                    decls.add(expanded.get(i));
                }
                List<Integer> best = selectCandidateDecls(decls, args);
                if (best.size() == 1) {
                    chosen = cands.get(ok.get(best.get(0)));
                    chosenDecl = decls.get(best.get(0));
                } else {
                    throw new PgException("42725", "function " + funcSignature(n, args) + " is not unique", null,
                            "Could not choose a best candidate function. You might need to add explicit type casts.");
                }
            }
        }
        if (chosen == null) {
            throw new PgException("42883", "function " + funcSignature(n, args) + " does not exist", null,
                    "No function matches the given name and argument types. You might need to add explicit type casts.");
        }
        return bind(chosen, chosenDecl, args);
    }

    /**
     * Resolution of a call among user-defined candidates joined with the built-in functions of the same name
     * and arity (PostgreSQL looks them up together): the index into {@code userDecls} of the chosen candidate,
     * -1 when a built-in wins or nothing matches (the built-in resolution then reports), or throws 42725 when
     * the choice is ambiguous. {@code userDecls} are the declared types at the call's arity (defaults dropped).
     */
    public static int chooseUserCandidate(String name, List<Type[]> userDecls, Type[] in, String signature) {
        String n = name.toLowerCase(Locale.ROOT);
        List<Type[]> decls = new ArrayList<>();
        for (Routine r : FUNCS.getOrDefault(n, List.of())) {
            if (!r.variadicAny() && r.nargs() == in.length && r.kind() != Routine.Kind.AGGREGATE) {
                decls.add(r.argTypes());
            }
        }
        int builtins = decls.size();
        decls.addAll(userDecls);
        for (int i = builtins; i < decls.size(); i++) {
            if (java.util.Arrays.equals(decls.get(i), in)) {
                return i - builtins;
            }
        }
        for (int i = 0; i < builtins; i++) {
            if (java.util.Arrays.equals(decls.get(i), in)) {
                return -1;
            }
        }
        List<Integer> ok = new ArrayList<>();
        for (int i = 0; i < decls.size(); i++) {
            if (accepts(decls.get(i), in)) {
                ok.add(i);
            }
        }
        if (ok.isEmpty()) {
            return -1;
        }
        int chosen;
        if (ok.size() == 1) {
            chosen = ok.get(0);
        } else {
            List<Type[]> sub = new ArrayList<>();
            for (int i : ok) {
                sub.add(decls.get(i));
            }
            List<Integer> best = selectCandidateDecls(sub, in);
            if (best.size() != 1) {
                throw new PgException("42725", "function " + signature + " is not unique", null,
                        "Could not choose a best candidate function. You might need to add explicit type casts.");
            }
            chosen = ok.get(best.get(0));
        }
        return chosen >= builtins ? chosen - builtins : -1;
    }

    /**
     * Resolves {@code name(a, ..., VARIADIC arr)}: the last argument type must be an array
     * type (or unknown/NULL typed as an array); only VARIADIC "any" routines (concat,
     * concat_ws, format, num_nulls, num_nonnulls) take it. The returned call spreads the
     * array at invocation.
     */
    public static Routine.Resolved resolveFunctionVariadic(String name, Type... args) {
        String n = name.toLowerCase(Locale.ROOT);
        Type last = args[args.length - 1];
        if (!last.isArray()) {
            throw new PgException("42809", "VARIADIC argument must be an array");
        }
        for (Routine r : FUNCS.getOrDefault(n, List.of())) {
            if (r.variadicAny() && r.nargs() == args.length) {
                Type[] fixed = java.util.Arrays.copyOf(args, args.length - 1);
                Type[] declFixed = java.util.Arrays.copyOf(r.argTypes(), args.length - 1);
                if (accepts(declFixed, fixed)) {
                    Type[] out = args.clone();
                    for (int i = 0; i < fixed.length; i++) {
                        out[i] = declFixed[i];
                    }
                    return new Routine.Resolved(r, out, r.result(), true);
                }
            }
        }
        StringBuilder sig = new StringBuilder(n).append('(');
        for (int i = 0; i < args.length; i++) {
            sig.append(i > 0 ? ", " : "").append(i == args.length - 1 ? "VARIADIC " : "").append(args[i].sqlName());
        }
        throw new PgException("42883", "function " + sig + ") does not exist", null,
                "No function matches the given name and argument types. You might need to add explicit type casts.");
    }

    private static String funcSignature(String name, Type[] args) {
        StringBuilder sb = new StringBuilder(name).append('(');
        for (int i = 0; i < args.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(args[i].sqlName());
        }
        return sb.append(')').toString();
    }

    private static Routine exact(List<Routine> cands, Type[] in) {
        for (Routine r : cands) {
            boolean ok = true;
            for (int i = 0; i < in.length && ok; i++) {
                ok = r.arg(i).equals(in[i]);
            }
            if (ok) {
                return r;
            }
        }
        return null;
    }

    private static List<Routine> matching(List<Routine> cands, Type[] in) {
        List<Routine> ok = new ArrayList<>();
        for (Routine r : cands) {
            if (accepts(r.argTypes(), in)) {
                ok.add(r);
            }
        }
        return ok;
    }

    /** can_coerce_type for every position (implicit context), with polymorphic consistency. */
    static boolean accepts(Type[] decl, Type[] in) {
        Type elem = null;
        for (int i = 0; i < in.length; i++) {
            Type d = decl[i];
            Type a = in[i];
            if (d.equals(a) || d == Types.ANY) {
                continue;
            }
            if (d == Types.ANYELEMENT || d == Types.ANYNONARRAY) {
                if (a == Types.UNKNOWN) {
                    continue;
                }
                if (d == Types.ANYNONARRAY && a.isArray()) {
                    return false;
                }
                if (elem != null && !elem.equals(a)) {
                    return false;
                }
                elem = a;
                continue;
            }
            if (d == Types.ANYARRAY) {
                if (a == Types.UNKNOWN) {
                    continue;
                }
                if (!a.isArray() || (elem != null && !elem.equals(a.elem()))) {
                    return false;
                }
                elem = a.elem();
                continue;
            }
            if (a == Types.UNKNOWN) {
                continue;
            }
            if (!Casts.canCoerce(a, d, Casts.Context.IMPLICIT)) {
                return false;
            }
        }
        return true;
    }

    private static List<Routine> selectCandidate(List<Routine> cands, Type[] in) {
        List<Type[]> decls = new ArrayList<>();
        for (Routine r : cands) {
            decls.add(r.argTypes());
        }
        List<Routine> out = new ArrayList<>();
        for (int i : selectCandidateDecls(decls, in)) {
            out.add(cands.get(i));
        }
        return out;
    }

    private static boolean isPreferredIn(char category, Type t) {
        return t.typcategory() == category && t.typispreferred();
    }

    /** func_select_candidate over declared type lists; returns the surviving indexes. */
    static List<Integer> selectCandidateDecls(List<Type[]> decls, Type[] in) {
        int nargs = in.length;
        List<Integer> cur = new ArrayList<>();
        for (int i = 0; i < decls.size(); i++) {
            cur.add(i);
        }
        // 1. most exact matches
        cur = keepMax(cur, idx -> {
            int n = 0;
            for (int i = 0; i < nargs; i++) {
                if (in[i] != Types.UNKNOWN && decls.get(idx)[i].equals(in[i])) {
                    n++;
                }
            }
            return n;
        });
        if (cur.size() == 1) {
            return cur;
        }
        // 2. most exact-or-preferred matches at known positions
        cur = keepMax(cur, idx -> {
            int n = 0;
            for (int i = 0; i < nargs; i++) {
                if (in[i] != Types.UNKNOWN) {
                    Type d = decls.get(idx)[i];
                    if (d.equals(in[i]) || isPreferredIn(in[i].typcategory(), d)) {
                        n++;
                    }
                }
            }
            return n;
        });
        if (cur.size() == 1) {
            return cur;
        }
        // 3. unknown positions: choose a category
        boolean hasUnknown = false;
        for (Type t : in) {
            hasUnknown |= t == Types.UNKNOWN;
        }
        if (hasUnknown) {
            char[] slotCat = new char[nargs];
            boolean[] slotPref = new boolean[nargs];
            boolean resolved = true;
            for (int i = 0; i < nargs && resolved; i++) {
                if (in[i] != Types.UNKNOWN) {
                    continue;
                }
                boolean conflict = false;
                for (int idx : cur) {
                    Type d = decls.get(idx)[i];
                    char c = d.typcategory();
                    if (slotCat[i] == 0) {
                        slotCat[i] = c;
                        slotPref[i] = d.typispreferred();
                    } else if (c == slotCat[i]) {
                        slotPref[i] |= d.typispreferred();
                    } else if (c == 'S') {
                        slotCat[i] = c;
                        slotPref[i] = d.typispreferred();
                    } else {
                        conflict = true;
                    }
                }
                if (conflict && slotCat[i] != 'S') {
                    resolved = false;
                }
            }
            if (resolved) {
                List<Integer> kept = new ArrayList<>();
                for (int idx : cur) {
                    boolean keep = true;
                    for (int i = 0; i < nargs && keep; i++) {
                        if (in[i] != Types.UNKNOWN) {
                            continue;
                        }
                        Type d = decls.get(idx)[i];
                        if (d.typcategory() != slotCat[i] || (slotPref[i] && !d.typispreferred())) {
                            keep = false;
                        }
                    }
                    if (keep) {
                        kept.add(idx);
                    }
                }
                if (!kept.isEmpty()) {
                    cur = kept;
                }
                if (cur.size() == 1) {
                    return cur;
                }
            }
            // 4. all known inputs of one type: assume the unknowns have it too
            Type known = null;
            boolean single = true;
            for (Type t : in) {
                if (t == Types.UNKNOWN) {
                    continue;
                }
                if (known == null) {
                    known = t;
                } else if (!known.equals(t)) {
                    single = false;
                }
            }
            if (known != null && single) {
                Type[] assumed = new Type[nargs];
                java.util.Arrays.fill(assumed, known);
                List<Integer> m = new ArrayList<>();
                for (int idx : cur) {
                    if (accepts(decls.get(idx), assumed)) {
                        m.add(idx);
                    }
                }
                if (m.size() == 1) {
                    return m;
                }
            }
        }
        return cur;
    }

    private interface Score {
        int of(int idx);
    }

    private static List<Integer> keepMax(List<Integer> cur, Score s) {
        int max = -1;
        List<Integer> out = new ArrayList<>();
        for (int idx : cur) {
            int v = s.of(idx);
            if (v > max) {
                max = v;
                out.clear();
            }
            if (v == max) {
                out.add(idx);
            }
        }
        return out;
    }

    private static Routine.Resolved bind(Routine r, Type[] in) {
        return bind(r, r.argTypes(), in);
    }

    /** Concrete argument types and result type of a call (polymorphism resolved). */
    private static Routine.Resolved bind(Routine r, Type[] decl, Type[] in) {
        Type elem = null;
        for (int i = 0; i < in.length; i++) {
            Type d = decl[i];
            if ((d == Types.ANYELEMENT || d == Types.ANYNONARRAY) && in[i] != Types.UNKNOWN) {
                elem = elem == null ? in[i] : elem;
            } else if (d == Types.ANYARRAY && in[i] != Types.UNKNOWN && in[i].isArray()) {
                elem = elem == null ? in[i].elem() : elem;
            }
        }
        if (elem == null) {
            elem = Types.TEXT;
        }
        Type[] out = new Type[in.length];
        for (int i = 0; i < in.length; i++) {
            Type d = decl[i];
            if (d == Types.ANY) {
                out[i] = in[i];
            } else if (d == Types.ANYELEMENT || d == Types.ANYNONARRAY) {
                out[i] = elem;
            } else if (d == Types.ANYARRAY) {
                out[i] = elem.array() != null ? elem.array() : Types.TEXT_ARRAY;
            } else {
                out[i] = d;
            }
        }
        Type res = r.result();
        if (res == Types.ANYELEMENT || res == Types.ANYNONARRAY) {
            res = elem;
        } else if (res == Types.ANYARRAY) {
            res = elem.array() != null ? elem.array() : Types.TEXT_ARRAY;
        }
        return new Routine.Resolved(r, out, res);
    }
}
