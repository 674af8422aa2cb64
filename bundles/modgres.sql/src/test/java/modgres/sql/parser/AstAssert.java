package modgres.sql.parser;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;

/** Structural equality of syntax trees, ignoring the position of every node. */
final class AstAssert {
    private AstAssert() {
    }

    static void assertSameTree(Object expected, Object actual, String context) {
        String diff = difference(expected, actual, "");
        if (diff != null) {
            fail(context + ": trees differ at " + diff);
        }
    }

    /** The path of the first difference, or null if equal. */
    static String difference(Object a, Object b, String path) {
        if (a == null || b == null) {
            return a == b ? null : path + " (" + a + " vs " + b + ")";
        }
        if (a.getClass() != b.getClass()) {
            return path + " (" + a.getClass().getSimpleName() + " vs " + b.getClass().getSimpleName() + ")";
        }
        if (a instanceof Record) {
            for (RecordComponent rc : a.getClass().getRecordComponents()) {
                if (rc.getName().equals("position") || rc.getName().endsWith("Position")) {
                    continue;
                }
                try {
                    String d = difference(rc.getAccessor().invoke(a), rc.getAccessor().invoke(b),
                            path + "." + rc.getName());
                    if (d != null) {
                        return d;
                    }
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
            return null;
        }
        if (a instanceof java.util.List<?> la) {
            Collection<?> lb = (Collection<?>) b;
            if (la.size() != lb.size()) {
                return path + " (size " + la.size() + " vs " + lb.size() + ")";
            }
            Iterator<?> ib = lb.iterator();
            int i = 0;
            for (Object x : la) {
                String d = difference(x, ib.next(), path + "[" + i++ + "]");
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        return Objects.equals(a, b) ? null : path + " (" + a + " vs " + b + ")";
    }
}
