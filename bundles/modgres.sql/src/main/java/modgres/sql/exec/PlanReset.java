package modgres.sql.exec;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Closes every node of a plan tree, so that the next open() reads its input
 * again (a rescan): needed for the recursive term of a recursive query (its
 * working table changes between iterations) and for subqueries that are
 * re-read. Plan.close() follows children(), which some nodes shorten for
 * EXPLAIN (a Filter shows its input's children as its own), so the nodes
 * are found through their Plan-typed fields as well.
 */
final class PlanReset {
    private PlanReset() {
    }

    static void closeTree(Plan root) {
        closeTree(root, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static void closeTree(Plan p, Set<Plan> seen) {
        if (p == null || !seen.add(p)) {
            return;
        }
        p.close();
        for (Plan c : p.children()) {
            closeTree(c, seen);
        }
        for (Class<?> k = p.getClass(); k != null && k != Plan.class && k != Object.class; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                boolean plan = Plan.class.isAssignableFrom(f.getType());
                if (!plan && !List.class.isAssignableFrom(f.getType())) {
                    continue;
                }
                Object v;
                try {
                    f.setAccessible(true);
                    v = f.get(p);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    continue;
                }
                if (v instanceof Plan c) {
                    closeTree(c, seen);
                } else if (v instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Plan) {
                    for (Object o : l) {
                        if (o instanceof Plan c) {
                            closeTree(c, seen);
                        }
                    }
                }
            }
        }
    }
}
