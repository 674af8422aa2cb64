package modgres.backend.protocol;

import java.util.List;

import modgres.api.sql.ColumnDescriptor;

/**
 * The backend messages of protocol 3.0, written into a {@link PgWriter}.
 * Names follow the protocol documentation's message names.
 */
public final class Messages {
    // Authentication request codes ('R').
    public static final int AUTH_OK = 0;
    public static final int AUTH_CLEARTEXT_PASSWORD = 3;
    public static final int AUTH_MD5_PASSWORD = 5;
    public static final int AUTH_SASL = 10;
    public static final int AUTH_SASL_CONTINUE = 11;
    public static final int AUTH_SASL_FINAL = 12;

    /** Protocol 3.0 as the startup packet encodes it. */
    public static final int PROTOCOL_3_0 = 3 << 16;
    public static final int CANCEL_REQUEST_CODE = 1234 << 16 | 5678;
    public static final int SSL_REQUEST_CODE = 1234 << 16 | 5679;
    public static final int GSSENC_REQUEST_CODE = 1234 << 16 | 5680;

    private Messages() {
    }

    public static void authentication(PgWriter w, int code) {
        w.begin('R').int32(code).end();
    }

    public static void authentication(PgWriter w, int code, byte[] data) {
        w.begin('R').int32(code).bytes(data).end();
    }

    /** AuthenticationSASL with the mechanism names. */
    public static void authenticationSasl(PgWriter w, List<String> mechanisms) {
        w.begin('R').int32(AUTH_SASL);
        for (String m : mechanisms) {
            w.cstring(m);
        }
        w.int8(0).end();
    }

    public static void negotiateProtocolVersion(PgWriter w, int newest, List<String> unrecognized) {
        w.begin('v').int32(newest).int32(unrecognized.size());
        for (String o : unrecognized) {
            w.cstring(o);
        }
        w.end();
    }

    public static void parameterStatus(PgWriter w, String name, String value) {
        w.begin('S').cstring(name).cstring(value == null ? "" : value).end();
    }

    public static void backendKeyData(PgWriter w, int pid, int key) {
        w.begin('K').int32(pid).int32(key).end();
    }

    public static void readyForQuery(PgWriter w, char status) {
        w.begin('Z').int8(status).end();
    }

    /**
     * ErrorResponse ('E') or NoticeResponse ('N'): S and V (severity; our
     * messages are not translated, so both are the same), C, M, and D, H, P
     * when present.
     */
    public static void errorOrNotice(PgWriter w, char type, String severity, String sqlState, String message,
            String detail, String hint, int position) {
        errorOrNotice(w, type, severity, sqlState, message, detail, hint, position, null);
    }

    /** As above, with W (the CONTEXT lines) when present. */
    public static void errorOrNotice(PgWriter w, char type, String severity, String sqlState, String message,
            String detail, String hint, int position, String context) {
        w.begin(type);
        w.int8('S').cstring(severity);
        w.int8('V').cstring(severity);
        w.int8('C').cstring(sqlState == null ? "XX000" : sqlState);
        w.int8('M').cstring(message == null ? "" : message);
        if (detail != null) {
            w.int8('D').cstring(detail);
        }
        if (hint != null) {
            w.int8('H').cstring(hint);
        }
        if (position > 0) {
            w.int8('P').cstring(Integer.toString(position));
        }
        if (context != null) {
            w.int8('W').cstring(context);
        }
        w.int8(0).end();
    }

    public static void rowDescription(PgWriter w, List<ColumnDescriptor> columns) {
        w.begin('T').int16(columns.size());
        for (ColumnDescriptor c : columns) {
            w.cstring(c.name()).int32(c.tableOid()).int16(c.columnNumber()).int32(c.typeOid())
                    .int16(c.typeSize()).int32(c.typeModifier()).int16(c.format());
        }
        w.end();
    }

    public static void dataRow(PgWriter w, byte[][] values) {
        w.begin('D').int16(values.length);
        for (byte[] v : values) {
            if (v == null) {
                w.int32(-1);
            } else {
                w.int32(v.length).bytes(v);
            }
        }
        w.end();
    }

    public static void parameterDescription(PgWriter w, int[] types) {
        w.begin('t').int16(types == null ? 0 : types.length);
        if (types != null) {
            for (int t : types) {
                w.int32(t);
            }
        }
        w.end();
    }

    public static void commandComplete(PgWriter w, String tag) {
        w.begin('C').cstring(tag).end();
    }

    /** A message without body: ParseComplete '1', BindComplete '2', CloseComplete '3', NoData 'n', PortalSuspended 's', EmptyQueryResponse 'I', CopyDone 'c'. */
    public static void empty(PgWriter w, char type) {
        w.begin(type).end();
    }

    /** CopyInResponse 'G' or CopyOutResponse 'H'. */
    public static void copyResponse(PgWriter w, char type, boolean binary, short[] formats) {
        w.begin(type).int8(binary ? 1 : 0).int16(formats.length);
        for (short f : formats) {
            w.int16(f);
        }
        w.end();
    }

    public static void copyData(PgWriter w, byte[] b, int off, int len) {
        w.begin('d').bytes(b, off, len).end();
    }
}
