/**
 * The SQL type system of PostgreSQL 15's built-in scalar types and their
 * arrays: type descriptors ({@link modgres.sql.types.Type},
 * {@link modgres.sql.types.Types}), text and binary I/O
 * ({@link modgres.sql.types.TextIO}, {@link modgres.sql.types.BinaryIO}),
 * ordering ({@link modgres.sql.types.Compare}), the on-disk tuple form and
 * order-preserving index keys ({@link modgres.sql.types.TupleCodec},
 * {@link modgres.sql.types.KeyEncoding}), casts
 * ({@link modgres.sql.types.Casts}), and the operator/function/aggregate
 * catalog with PostgreSQL's resolution rules ({@link modgres.sql.types.Catalog},
 * {@link modgres.sql.types.Aggregates}). Pure Java, no services; private to
 * the bundle.
 *
 * <h2>Value representation</h2>
 * A SQL NULL is Java {@code null}; every other value is:
 * <table>
 * <caption>Java classes of the values</caption>
 * <tr><th>type</th><th>Java value</th></tr>
 * <tr><td>bool</td><td>Boolean</td></tr>
 * <tr><td>int2 / int4 / int8</td><td>Short / Integer / Long</td></tr>
 * <tr><td>oid, regclass, regtype</td><td>Long (unsigned 32-bit value)</td></tr>
 * <tr><td>float4 / float8</td><td>Float / Double</td></tr>
 * <tr><td>numeric</td><td>BigDecimal (finite; scale = display scale, never negative) or
 *     {@link modgres.sql.types.NumericSpecial} (NaN, Infinity, -Infinity)</td></tr>
 * <tr><td>text, varchar, bpchar, name, unknown</td><td>String (bpchar(n) values keep their padding)</td></tr>
 * <tr><td>"char"</td><td>String of one char 1..255, or "" for the zero byte</td></tr>
 * <tr><td>bytea</td><td>byte[]</td></tr>
 * <tr><td>date</td><td>Integer days since 2000-01-01; Integer.MIN_VALUE / MAX_VALUE = -infinity / infinity</td></tr>
 * <tr><td>time</td><td>Long microseconds since midnight (0 .. 86400000000)</td></tr>
 * <tr><td>timestamp, timestamptz</td><td>Long microseconds since 2000-01-01 00:00 (UTC for timestamptz);
 *     Long.MIN_VALUE / MAX_VALUE = -infinity / infinity</td></tr>
 * <tr><td>interval</td><td>{@link modgres.sql.types.Interval}(months, days, micros)</td></tr>
 * <tr><td>uuid</td><td>java.util.UUID</td></tr>
 * <tr><td>pg_lsn</td><td>Long (unsigned)</td></tr>
 * <tr><td>void</td><td>"" (the empty string)</td></tr>
 * <tr><td>arrays</td><td>{@link modgres.sql.types.PgArray}(element type, values row-major, dims, lower bounds)</td></tr>
 * </table>
 * Settings that change input or output (DateStyle, TimeZone, IntervalStyle,
 * extra_float_digits) and the clock come from a
 * {@link modgres.sql.types.SessionContext}.
 */
package modgres.sql.types;
