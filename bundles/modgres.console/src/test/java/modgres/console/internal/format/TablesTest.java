package modgres.console.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import modgres.console.internal.format.TextTable.Align;

class TablesTest {

    @Test
    void textTableAlignsColumnsAndTrimsTrailingBlanks() {
        TextTable t = new TextTable().column("ID", Align.RIGHT).column("NAME", Align.LEFT).column("X", Align.LEFT);
        t.row(1, "modgres.api", "");
        t.row(12, "b", null);
        assertEquals("""
                  ID  NAME         X
                   1  modgres.api
                  12  b
                """, t.render("  "));
        assertEquals(2, t.size());
    }

    @Test
    void textTableRefusesColumnsAfterRows() {
        TextTable t = new TextTable().column("A", Align.LEFT).row("x");
        assertThrows(IllegalStateException.class, () -> t.column("B", Align.LEFT));
    }

    @Test
    void psqlTableLooksLikePsql() {
        PsqlTable t = new PsqlTable("name", "setting");
        t.row("shared_buffers", "128MB");
        t.row("port", "5432");
        assertEquals("""
                      name      | setting
                ----------------+---------
                 shared_buffers | 128MB
                 port           | 5432
                (2 rows)
                """, t.render());
    }

    @Test
    void psqlTableCountsOneRowAndNone() {
        assertEquals(" a\n---\n x\n(1 row)\n", new PsqlTable("a").row("x").render());
        assertEquals(" a\n---\n(0 rows)\n", new PsqlTable("a").render());
    }
}
