package modgres.api.access;

/**
 * The part of a heap tuple its owner forms: the attribute values in
 * PostgreSQL's on-disk form (each aligned as its type's {@code typalign}
 * requires, counting from the start of {@link #data}, which the heap places at
 * a {@code MAXALIGN} boundary), plus the null bitmap. The heap adds the header
 * ({@code HeapTupleHeaderData}) in front and never interprets the data.
 *
 * @param natts       the number of attributes
 * @param nullBitmap  null when no attribute is null, else {@code (natts + 7) / 8} bytes
 *                    where a set bit means "not null" (bit {@code i % 8} of byte {@code i / 8})
 * @param data        the attribute data
 * @param hasVarWidth true when some attribute is variable-length ({@code HEAP_HASVARWIDTH})
 */
public record TupleData(int natts, byte[] nullBitmap, byte[] data, boolean hasVarWidth) {

    public boolean isNull(int attnum0) {
        return nullBitmap != null && (nullBitmap[attnum0 >> 3] & (1 << (attnum0 & 7))) == 0;
    }
}
