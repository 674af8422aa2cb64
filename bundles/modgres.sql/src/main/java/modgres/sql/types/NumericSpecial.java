package modgres.sql.types;

/**
 * The numeric values that are not numbers: a numeric value is either a
 * {@link java.math.BigDecimal} (finite, scale >= 0 = PostgreSQL's dscale) or
 * one of these. NaN sorts above every other value (and equals itself), as
 * PostgreSQL's numeric comparison.
 */
public enum NumericSpecial {
    NEGATIVE_INFINITY("-Infinity"), INFINITY("Infinity"), NAN("NaN");

    private final String text;

    NumericSpecial(String text) {
        this.text = text;
    }

    @Override
    public String toString() {
        return text;
    }
}
