package modgres.sql.engine;

import java.time.Instant;
import java.time.ZoneId;

import modgres.sql.types.DateTime;
import modgres.sql.types.SessionContext;

/**
 * The session's settings as the type system reads them (DateStyle,
 * TimeZone, IntervalStyle, extra_float_digits) and the transaction's clock;
 * taken at the start of each statement, so a SET inside the statement's
 * transaction is seen by the next statement, as in PostgreSQL.
 */
final class TypesContext implements SessionContext {
    private final DateStyle style;
    private final DateOrder order;
    private final ZoneId zone;
    private final IntervalStyle intervalStyle;
    private final int extraFloatDigits;
    private final Instant xactStart;
    private final Instant stmtStart;

    TypesContext(SessionSettings s, Instant xactStart) {
        DateStyle st = DateStyle.ISO;
        DateOrder or = DateOrder.MDY;
        try {
            Object[] ds = SessionContext.parseDateStyle(s.get("datestyle"), st, or);
            st = (DateStyle) ds[0];
            or = (DateOrder) ds[1];
        } catch (RuntimeException e) {
            // keep ISO, MDY
        }
        this.style = st;
        this.order = or;
        ZoneId z;
        try {
            z = DateTime.resolveZone(s.get("timezone"));
        } catch (RuntimeException e) {
            z = ZoneId.of("UTC");
        }
        this.zone = z;
        IntervalStyle is = IntervalStyle.POSTGRES;
        try {
            is = IntervalStyle.valueOf(s.get("intervalstyle").toUpperCase(java.util.Locale.ROOT));
        } catch (RuntimeException e) {
            // postgres
        }
        this.intervalStyle = is;
        int efd = 1;
        try {
            efd = Integer.parseInt(s.get("extra_float_digits"));
        } catch (RuntimeException e) {
            // 1
        }
        this.extraFloatDigits = efd;
        this.xactStart = xactStart;
        this.stmtStart = Instant.now();
    }

    private TypesContext(TypesContext same, Instant xactStart) {
        this.style = same.style;
        this.order = same.order;
        this.zone = same.zone;
        this.intervalStyle = same.intervalStyle;
        this.extraFloatDigits = same.extraFloatDigits;
        this.xactStart = xactStart;
        this.stmtStart = Instant.now();
    }

    /** The same settings for another statement (the settings did not change since this one was read). */
    TypesContext forStatement(Instant xactStart) {
        return new TypesContext(this, xactStart);
    }

    @Override
    public DateStyle dateStyle() {
        return style;
    }

    @Override
    public DateOrder dateOrder() {
        return order;
    }

    @Override
    public ZoneId timeZone() {
        return zone;
    }

    @Override
    public IntervalStyle intervalStyle() {
        return intervalStyle;
    }

    @Override
    public int extraFloatDigits() {
        return extraFloatDigits;
    }

    @Override
    public Instant transactionStart() {
        return xactStart;
    }

    @Override
    public Instant statementStart() {
        return stmtStart;
    }

    /** regclass's catalog lookups (the session's catalog and search_path); unset: OIDs only. */
    java.util.function.ToLongFunction<String> relationOids;
    java.util.function.LongFunction<String> relationNames;

    TypesContext withRelations(java.util.function.ToLongFunction<String> oids,
            java.util.function.LongFunction<String> names, java.util.function.LongFunction<String> namespaces) {
        this.namespaceNames = namespaces;
        this.relationOids = oids;
        this.relationNames = names;
        return this;
    }

    @Override
    public long relationOid(String name) {
        return relationOids == null ? -1 : relationOids.applyAsLong(name);
    }

    /** regnamespace output (the session's catalog); unset: OIDs only. */
    java.util.function.LongFunction<String> namespaceNames;

    @Override
    public String namespaceName(long oid) {
        return namespaceNames == null ? null : namespaceNames.apply(oid);
    }

    /** The session's type system, for regtype's user-defined type names (domains); unset: built-ins only. */
    TypeSystemImpl types;

    TypesContext withTypes(TypeSystemImpl ts) {
        this.types = ts;
        return this;
    }

    @Override
    public long userTypeOid(String name) {
        if (types == null) {
            return -1;
        }
        try {
            return types.domainOid(name);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    @Override
    public String userTypeName(long oid) {
        return types == null || oid < 16384 || oid > Integer.MAX_VALUE ? null : types.domainName((int) oid);
    }

    @Override
    public String relationName(long oid) {
        return relationNames == null ? null : relationNames.apply(oid);
    }
}
