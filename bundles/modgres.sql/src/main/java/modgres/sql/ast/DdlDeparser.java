package modgres.sql.ast;

import java.util.List;

/** The part of {@link SqlDeparser} that prints definitions and utility statements. */
final class DdlDeparser {
    private final SqlDeparser d;
    private final StringBuilder sb;

    DdlDeparser(SqlDeparser d) {
        this.d = d;
        this.sb = d.out();
    }

    private DdlDeparser a(String s) {
        sb.append(s);
        return this;
    }

    private void ident(String s) {
        d.identifier(s);
    }

    private void behavior(DropBehavior b) {
        if (b == DropBehavior.CASCADE) {
            a(" CASCADE");
        } else if (b == DropBehavior.RESTRICT) {
            a(" RESTRICT");
        }
    }

    private void role(RoleSpec r) {
        switch (r.kind()) {
            case NAME -> ident(r.name());
            case PUBLIC -> a("PUBLIC");
            default -> a(r.kind().name());
        }
    }

    private static String lit(String s) {
        return SqlDeparser.quoteLiteral(s);
    }

    // ------------------------------------------------------------------- DDL

    void ddl(Ddl s) {
        if (s instanceof Ddl.CreateTable t) {
            createTable(t);
        } else if (s instanceof Ddl.CreateTableAs t) {
            createTableAs(t);
        } else if (s instanceof Ddl.RefreshMaterializedView r) {
            a("REFRESH MATERIALIZED VIEW ");
            if (r.concurrently()) {
                a("CONCURRENTLY ");
            }
            d.rangeVarName(r.relation());
            if (!r.withData()) {
                a(" WITH NO DATA");
            }
        } else if (s instanceof Ddl.AlterTable t) {
            a("ALTER ").a(t.objectType().sql).a(" ");
            if (t.ifExists()) {
                a("IF EXISTS ");
            }
            d.rangeVar(t.relation());
            a(" ");
            d.commaList(t.commands(), this::alterCmd);
        } else if (s instanceof Ddl.Rename r) {
            rename(r);
        } else if (s instanceof Ddl.AlterObjectSchema r) {
            a("ALTER ").a(r.objectType().sql).a(" ");
            if (r.ifExists()) {
                a("IF EXISTS ");
            }
            d.rangeVar(r.relation());
            a(" SET SCHEMA ");
            ident(r.newSchema());
        } else if (s instanceof Ddl.AlterOwner o) {
            a("ALTER ").a(o.objectType().sql).a(" ");
            d.qualified(o.object());
            a(" OWNER TO ");
            role(o.owner());
        } else if (s instanceof Ddl.CreateIndex i) {
            createIndex(i);
        } else if (s instanceof Ddl.Drop dr) {
            drop(dr);
        } else if (s instanceof Ddl.CreateSchema c) {
            a("CREATE SCHEMA ");
            if (c.ifNotExists()) {
                a("IF NOT EXISTS ");
            }
            if (c.name() != null) {
                ident(c.name());
                if (c.authorization() != null) {
                    a(" ");
                }
            }
            if (c.authorization() != null) {
                a("AUTHORIZATION ");
                role(c.authorization());
            }
            for (Statement e : c.elements()) {
                a(" ");
                d.anyStatement(e);
            }
        } else if (s instanceof Ddl.CreateSequence c) {
            a("CREATE ").a(c.persistence().sql).a("SEQUENCE ");
            if (c.ifNotExists()) {
                a("IF NOT EXISTS ");
            }
            d.rangeVarName(c.relation());
            sequenceOptions(c.options());
        } else if (s instanceof Ddl.AlterSequence c) {
            a("ALTER SEQUENCE ");
            if (c.ifExists()) {
                a("IF EXISTS ");
            }
            d.rangeVarName(c.relation());
            sequenceOptions(c.options());
        } else if (s instanceof Ddl.CreateView v) {
            a("CREATE ");
            if (v.orReplace()) {
                a("OR REPLACE ");
            }
            a(v.persistence().sql);
            if (v.recursive()) {
                a("RECURSIVE ");
            }
            a("VIEW ");
            d.rangeVarName(v.relation());
            if (!v.columns().isEmpty()) {
                a(" ");
                d.parenIdentifiers(v.columns());
            }
            if (!v.options().isEmpty()) {
                a(" WITH ");
                d.reloptions(v.options());
            }
            a(" AS ");
            d.select(v.query());
            if (v.checkOption() == Ddl.CheckOption.LOCAL) {
                a(" WITH LOCAL CHECK OPTION");
            } else if (v.checkOption() == Ddl.CheckOption.CASCADED) {
                a(" WITH CASCADED CHECK OPTION");
            }
        } else if (s instanceof Ddl.Truncate t) {
            a("TRUNCATE TABLE ");
            d.commaList(t.relations(), d::rangeVar);
            if (t.restartIdentity()) {
                a(" RESTART IDENTITY");
            }
            behavior(t.behavior());
        } else if (s instanceof Ddl.CreateDatabase c) {
            a("CREATE DATABASE ");
            ident(c.name());
            databaseOptions(c.options());
        } else if (s instanceof Ddl.AlterDatabase c) {
            a("ALTER DATABASE ");
            ident(c.name());
            if (c.set() != null) {
                a(" ");
                variableSet(c.set());
            } else {
                a(" WITH");
                databaseOptions(c.options());
            }
        } else if (s instanceof Ddl.DropDatabase c) {
            a("DROP DATABASE ");
            if (c.ifExists()) {
                a("IF EXISTS ");
            }
            ident(c.name());
            if (c.force()) {
                a(" WITH (FORCE)");
            }
        } else if (s instanceof Ddl.CreateRole c) {
            a("CREATE ").a(c.kind().name()).a(" ");
            ident(c.name());
            roleOptions(c.options(), true);
        } else if (s instanceof Ddl.AlterRole c) {
            a("ALTER ").a(c.kind().name()).a(" ");
            role(c.role());
            roleOptions(c.options(), false);
        } else if (s instanceof Ddl.AlterRoleSet c) {
            a("ALTER ROLE ");
            if (c.role() == null) {
                a("ALL");
            } else {
                role(c.role());
            }
            if (c.database() != null) {
                a(" IN DATABASE ");
                ident(c.database());
            }
            a(" ");
            variableSet(c.set());
        } else if (s instanceof Ddl.DropRole c) {
            a("DROP ").a(c.kind().name()).a(" ");
            if (c.ifExists()) {
                a("IF EXISTS ");
            }
            d.commaList(c.roles(), this::role);
        } else if (s instanceof Ddl.Grant g) {
            grant(g);
        } else if (s instanceof Ddl.GrantRole g) {
            a(g.grant() ? "GRANT " : "REVOKE ");
            if (!g.grant() && g.adminOption()) {
                a("ADMIN OPTION FOR ");
            }
            d.identifiers(g.roles());
            a(g.grant() ? " TO " : " FROM ");
            d.commaList(g.grantees(), this::role);
            if (g.grant() && g.adminOption()) {
                a(" WITH ADMIN OPTION");
            }
            if (g.grantedBy() != null) {
                a(" GRANTED BY ");
                role(g.grantedBy());
            }
            behavior(g.behavior());
        } else if (s instanceof Ddl.DropOwned o) {
            a("DROP OWNED BY ");
            d.commaList(o.roles(), this::role);
            behavior(o.behavior());
        } else if (s instanceof Ddl.ReassignOwned o) {
            a("REASSIGN OWNED BY ");
            d.commaList(o.roles(), this::role);
            a(" TO ");
            role(o.newOwner());
        } else if (s instanceof Ddl.Comment c) {
            a("COMMENT ON ").a(c.objectType().sql).a(" ");
            objectRef(c.object());
            a(" IS ").a(c.comment() == null ? "NULL" : lit(c.comment()));
        } else if (s instanceof Ddl.CreateExtension c) {
            a("CREATE EXTENSION ");
            if (c.ifNotExists()) {
                a("IF NOT EXISTS ");
            }
            ident(c.name());
            for (DefElem o : c.options()) {
                switch (o.name()) {
                    case "schema" -> {
                        a(" SCHEMA ");
                        d.defValue(o.value());
                    }
                    case "new_version" -> a(" VERSION ").a(lit(o.stringValue()));
                    case "cascade" -> a(" CASCADE");
                    default -> throw new IllegalArgumentException(o.name());
                }
            }
        } else if (s instanceof Ddl.CreateFunction f) {
            createFunction(f);
        } else if (s instanceof Ddl.CreateTrigger t) {
            createTrigger(t);
        } else if (s instanceof Ddl.CreateType ct) {
            a("CREATE TYPE ");
            d.qualified(ct.name());
            if (ct.enumLabels() != null) {
                a(" AS ENUM (");
                for (int i = 0; i < ct.enumLabels().size(); i++) {
                    a(i == 0 ? "" : ", ").a(SqlDeparser.quoteLiteral(ct.enumLabels().get(i)));
                }
            } else {
                a(" AS (");
                for (int i = 0; i < ct.attrNames().size(); i++) {
                    a(i == 0 ? "" : ", ");
                    ident(ct.attrNames().get(i));
                    a(" ");
                    d.typeName(ct.attrTypes().get(i));
                }
            }
            a(")");
        } else if (s instanceof Ddl.AlterTypeAddValue av) {
            a("ALTER TYPE ");
            d.qualified(av.name());
            a(" ADD VALUE ").a(av.ifNotExists() ? "IF NOT EXISTS " : "").a(SqlDeparser.quoteLiteral(av.label()));
            if (av.neighbor() != null) {
                a(av.after() ? " AFTER " : " BEFORE ").a(SqlDeparser.quoteLiteral(av.neighbor()));
            }
        } else if (s instanceof Ddl.CreateRule r) {
            a("CREATE ").a(r.orReplace() ? "OR REPLACE " : "").a("RULE ");
            ident(r.name());
            a(" AS ON ").a(r.event()).a(" TO ");
            d.rangeVarName(r.table());
            if (r.where() != null) {
                a(" WHERE ");
                d.expression(r.where());
            }
            a(" DO ").a(r.instead() ? "INSTEAD " : "ALSO ");
            if (r.actions().isEmpty()) {
                a("NOTHING");
            } else if (r.actions().size() == 1) {
                a(SqlDeparser.deparse(r.actions().get(0)));
            } else {
                a("(");
                for (int i = 0; i < r.actions().size(); i++) {
                    a(i == 0 ? "" : "; ").a(SqlDeparser.deparse(r.actions().get(i)));
                }
                a(")");
            }
        } else if (s instanceof Ddl.CreateDomain cd) {
            a("CREATE DOMAIN ");
            d.qualified(cd.name());
            a(" AS ");
            d.typeName(cd.type());
            if (!cd.collation().isEmpty()) {
                a(" COLLATE ");
                d.qualified(cd.collation());
            }
            for (Constraint c : cd.constraints()) {
                a(" ");
                constraint(c, true);
            }
        } else if (s instanceof Ddl.AlterDomain ad) {
            alterDomain(ad);
        } else if (s instanceof Ddl.CreateOperator co) {
            a("CREATE OPERATOR ");
            operatorName(co.name());
            a(" (");
            d.commaList(co.definition(), o -> {
                a(o.name());
                if (o.value() != null) {
                    a(" = ");
                    d.defValue(o.value());
                }
            });
            a(")");
        } else if (s instanceof Ddl.DropOperator dop) {
            a("DROP OPERATOR ").a(dop.ifExists() ? "IF EXISTS " : "");
            d.commaList(dop.operators(), o -> {
                operatorName(o.name());
                a(" (");
                if (o.left() == null) {
                    a("NONE");
                } else {
                    d.typeName(o.left());
                }
                a(", ");
                if (o.right() == null) {
                    a("NONE");
                } else {
                    d.typeName(o.right());
                }
                a(")");
            });
            behavior(dop.behavior());
        } else if (s instanceof Ddl.CreateOpClass oc) {
            createOpClass(oc);
        } else if (s instanceof Ddl.DropOpClass oc) {
            a("DROP OPERATOR CLASS ").a(oc.ifExists() ? "IF EXISTS " : "");
            d.qualified(oc.name());
            a(" USING ");
            ident(oc.method());
            behavior(oc.behavior());
        } else if (s instanceof Ddl.CreatePolicy cp) {
            a("CREATE POLICY ");
            ident(cp.name());
            a(" ON ");
            d.rangeVarName(cp.table());
            a(cp.permissive() ? "" : " AS RESTRICTIVE").a(" FOR ").a(cp.command());
            policyTail(cp.roles(), cp.using(), cp.withCheck());
        } else if (s instanceof Ddl.AlterPolicy ap) {
            a("ALTER POLICY ");
            ident(ap.name());
            a(" ON ");
            d.rangeVarName(ap.table());
            if (ap.newName() != null) {
                a(" RENAME TO ");
                ident(ap.newName());
            } else {
                policyTail(ap.roles() == null ? List.of() : ap.roles(), ap.using(), ap.withCheck());
            }
        } else {
            throw new IllegalArgumentException("cannot deparse " + s);
        }
    }

    private void operatorName(List<String> name) {
        for (int i = 0; i < name.size() - 1; i++) {
            ident(name.get(i));
            a(".");
        }
        a(name.get(name.size() - 1));
    }

    private void policyTail(List<RoleSpec> roles, Expr using, Expr withCheck) {
        if (!roles.isEmpty()) {
            a(" TO ");
            d.commaList(roles, this::role);
        }
        if (using != null) {
            a(" USING (");
            d.expression(using);
            a(")");
        }
        if (withCheck != null) {
            a(" WITH CHECK (");
            d.expression(withCheck);
            a(")");
        }
    }

    private void alterDomain(Ddl.AlterDomain ad) {
        a("ALTER DOMAIN ");
        d.qualified(ad.name());
        switch (ad.action()) {
            case "SET DEFAULT" -> {
                a(" SET DEFAULT ");
                d.expression(ad.defaultExpr());
            }
            case "ADD CONSTRAINT" -> {
                a(" ADD ");
                constraint(ad.constraint(), false);
            }
            case "DROP CONSTRAINT" -> {
                a(" DROP CONSTRAINT ").a(ad.ifExists() ? "IF EXISTS " : "");
                ident(ad.constraintName());
                behavior(ad.behavior());
            }
            case "RENAME TO", "VALIDATE CONSTRAINT" -> {
                a(" ").a(ad.action()).a(" ");
                ident(ad.constraintName());
            }
            default -> a(" ").a(ad.action());
        }
    }

    private void createOpClass(Ddl.CreateOpClass oc) {
        a("CREATE OPERATOR CLASS ");
        d.qualified(oc.name());
        a(oc.isDefault() ? " DEFAULT" : "").a(" FOR TYPE ");
        d.typeName(oc.forType());
        a(" USING ");
        ident(oc.method());
        if (oc.family() != null) {
            a(" FAMILY ");
            d.qualified(oc.family());
        }
        a(" AS ");
        d.commaList(oc.items(), it -> {
            if (it.kind() == 's') {
                a("STORAGE ");
                d.typeName(it.storage());
                return;
            }
            a(it.kind() == 'o' ? "OPERATOR " : "FUNCTION ").a(String.valueOf(it.number())).a(" ");
            if (it.kind() == 'o') {
                operatorName(it.name());
            }
            if (!it.classTypes().isEmpty()) {
                a(it.kind() == 'o' ? " (" : "(");
                d.commaList(it.classTypes(), d::typeName);
                a(it.kind() == 'o' ? ")" : ") ");
            }
            if (it.kind() == 'f') {
                d.qualified(it.name());
                a("(");
                d.commaList(it.args(), d::typeName);
                a(")");
            }
        });
    }

    private void createTable(Ddl.CreateTable t) {
        a("CREATE ").a(t.persistence().sql).a("TABLE ");
        if (t.ifNotExists()) {
            a("IF NOT EXISTS ");
        }
        d.rangeVarName(t.relation());
        if (t.partitionOf() != null) {
            a(" PARTITION OF ");
            d.rangeVarName(t.partitionOf());
            if (!t.elements().isEmpty()) {
                a(" ");
                tableElements(t.elements());
            }
            a(" ");
            partitionBound(t.bound());
        } else if (t.ofType() != null) {
            a(" OF ");
            d.typeName(t.ofType());
            if (!t.elements().isEmpty()) {
                a(" ");
                tableElements(t.elements());
            }
        } else {
            a(" ");
            tableElements(t.elements());
        }
        if (!t.inherits().isEmpty()) {
            a(" INHERITS (");
            d.commaList(t.inherits(), d::rangeVarName);
            a(")");
        }
        if (t.partitionBy() != null) {
            a(" PARTITION BY ");
            String strategy = t.partitionBy().strategy();
            if (List.of("range", "list", "hash").contains(strategy)) {
                a(strategy.toUpperCase());
            } else {
                ident(strategy);
            }
            a(" (");
            d.commaList(t.partitionBy().keys(), d::indexElem);
            a(")");
        }
        tableTail(t.accessMethod(), t.options(), t.onCommit(), t.tablespace());
    }

    private void tableTail(String am, List<DefElem> options, IntoClause.OnCommit onCommit, String tablespace) {
        if (am != null) {
            a(" USING ");
            ident(am);
        }
        if (!options.isEmpty()) {
            a(" WITH ");
            d.reloptions(options);
        }
        if (onCommit != null) {
            a(" ON COMMIT ").a(onCommit.sql);
        }
        if (tablespace != null) {
            a(" TABLESPACE ");
            ident(tablespace);
        }
    }

    private void tableElements(List<TableElement> elements) {
        a("(");
        d.commaList(elements, this::tableElement);
        a(")");
    }

    private void tableElement(TableElement e) {
        if (e instanceof ColumnDef c) {
            columnDef(c);
        } else if (e instanceof Constraint c) {
            constraint(c, false);
        } else if (e instanceof TableElement.Like l) {
            a("LIKE ");
            d.rangeVarName(l.source());
            for (TableElement.LikeOption o : l.options()) {
                a(o.including() ? " INCLUDING " : " EXCLUDING ").a(o.what());
            }
        }
    }

    private void columnDef(ColumnDef c) {
        ident(c.name());
        if (c.type() != null) {
            a(" ");
            d.typeName(c.type());
        } else {
            a(" WITH OPTIONS");
        }
        if (c.compression() != null) {
            a(" COMPRESSION ");
            if (c.compression().equals("default")) {
                a("DEFAULT");
            } else {
                ident(c.compression());
            }
        }
        if (!c.collation().isEmpty()) {
            a(" COLLATE ");
            d.qualified(c.collation());
        }
        for (Constraint con : c.constraints()) {
            a(" ");
            constraint(con, true);
        }
    }

    private void constraint(Constraint c, boolean column) {
        if (c.name() != null) {
            a("CONSTRAINT ");
            ident(c.name());
            a(" ");
        }
        Constraint.Spec s = c.spec();
        if (s instanceof Constraint.NotNull) {
            a("NOT NULL");
        } else if (s instanceof Constraint.Null) {
            a("NULL");
        } else if (s instanceof Constraint.Default def) {
            a("DEFAULT ");
            d.operandExpr(def.expr());
        } else if (s instanceof Constraint.Check ch) {
            a("CHECK (");
            d.expression(ch.expr());
            a(")");
            if (ch.noInherit()) {
                a(" NO INHERIT");
            }
        } else if (s instanceof Constraint.Unique u) {
            a("UNIQUE");
            if (u.nullsNotDistinct()) {
                a(" NULLS NOT DISTINCT");
            }
            indexConstraintTail(column, u.columns(), u.include(), u.options(), u.tablespace(), u.usingIndex());
        } else if (s instanceof Constraint.PrimaryKey pk) {
            a("PRIMARY KEY");
            indexConstraintTail(column, pk.columns(), pk.include(), pk.options(), pk.tablespace(), pk.usingIndex());
        } else if (s instanceof Constraint.ForeignKey fk) {
            if (!column) {
                a("FOREIGN KEY ");
                d.parenIdentifiers(fk.columns());
                a(" ");
            }
            a("REFERENCES ");
            d.rangeVarName(fk.refTable());
            if (!fk.refColumns().isEmpty()) {
                a(" ");
                d.parenIdentifiers(fk.refColumns());
            }
            if (fk.match() != Constraint.FkMatch.SIMPLE) {
                a(" MATCH ").a(fk.match().name());
            }
            if (fk.onDelete() != Constraint.FkAction.NO_ACTION) {
                a(" ON DELETE ").a(fk.onDelete().sql);
                if (!fk.onDeleteColumns().isEmpty()) {
                    a(" ");
                    d.parenIdentifiers(fk.onDeleteColumns());
                }
            }
            if (fk.onUpdate() != Constraint.FkAction.NO_ACTION) {
                a(" ON UPDATE ").a(fk.onUpdate().sql);
            }
        } else if (s instanceof Constraint.Identity id) {
            a("GENERATED ").a(id.always() ? "ALWAYS" : "BY DEFAULT").a(" AS IDENTITY");
            if (!id.options().isEmpty()) {
                a(" (");
                sequenceOptionsBody(id.options());
                a(")");
            }
        } else if (s instanceof Constraint.Generated g) {
            a("GENERATED ALWAYS AS (");
            d.expression(g.expr());
            a(") STORED");
        } else if (s instanceof Constraint.Exclude ex) {
            a("EXCLUDE");
            if (ex.accessMethod() != null) {
                a(" USING ");
                ident(ex.accessMethod());
            }
            a(" (");
            d.commaList(ex.elements(), el -> {
                d.indexElem(el.element());
                a(" WITH ").a(el.op().sql());
            });
            a(")");
            indexConstraintTail(true, List.of(), ex.include(), ex.options(), ex.tablespace(), null);
            if (ex.where() != null) {
                a(" WHERE (");
                d.expression(ex.where());
                a(")");
            }
        }
        attributes(c.attrs());
    }

    private void attributes(Constraint.Attributes at) {
        if (at.deferrable()) {
            a(" DEFERRABLE");
        }
        if (at.initiallyDeferred()) {
            a(" INITIALLY DEFERRED");
        }
        if (at.notValid()) {
            a(" NOT VALID");
        }
    }

    private void indexConstraintTail(boolean column, List<String> cols, List<String> include, List<DefElem> options,
            String tablespace, String usingIndex) {
        if (usingIndex != null) {
            a(" USING INDEX ");
            ident(usingIndex);
            return;
        }
        if (!column) {
            a(" ");
            d.parenIdentifiers(cols);
        }
        if (!include.isEmpty()) {
            a(" INCLUDE ");
            d.parenIdentifiers(include);
        }
        if (!options.isEmpty()) {
            a(" WITH ");
            d.reloptions(options);
        }
        if (tablespace != null) {
            a(" USING INDEX TABLESPACE ");
            ident(tablespace);
        }
    }

    private void partitionBound(PartitionBound b) {
        switch (b.strategy()) {
            case DEFAULT -> a("DEFAULT");
            case LIST -> {
                a("FOR VALUES IN (");
                d.commaList(b.listValues(), d::expression);
                a(")");
            }
            case RANGE -> {
                a("FOR VALUES FROM (");
                d.commaList(b.from(), d::expression);
                a(") TO (");
                d.commaList(b.to(), d::expression);
                a(")");
            }
            case HASH -> a("FOR VALUES WITH (MODULUS " + b.modulus() + ", REMAINDER " + b.remainder() + ")");
        }
    }

    private void createTableAs(Ddl.CreateTableAs t) {
        IntoClause into = t.into();
        a("CREATE ");
        if (t.materialized()) {
            a("MATERIALIZED VIEW ");
        } else {
            a(into.persistence().sql).a("TABLE ");
        }
        if (t.ifNotExists()) {
            a("IF NOT EXISTS ");
        }
        d.rangeVarName(into.relation());
        if (!into.columns().isEmpty()) {
            a(" ");
            d.parenIdentifiers(into.columns());
        }
        tableTail(into.accessMethod(), into.options(), into.onCommit(), into.tablespace());
        a(" AS ");
        d.anyStatement(t.query());
        if (!t.withData()) {
            a(" WITH NO DATA");
        }
    }

    private void rename(Ddl.Rename r) {
        if (r.relation() != null) {
            a("ALTER ").a(r.relationType().sql).a(" ");
            if (r.ifExists()) {
                a("IF EXISTS ");
            }
            d.rangeVar(r.relation());
            a(" RENAME ");
            if (r.renameType() == ObjectType.COLUMN) {
                a("COLUMN ");
                ident(r.subname());
                a(" ");
            } else if (r.renameType() == ObjectType.TABLE_CONSTRAINT) {
                a("CONSTRAINT ");
                ident(r.subname());
                a(" ");
            }
            a("TO ");
            ident(r.newName());
        } else {
            a("ALTER ").a(r.renameType().sql).a(" ");
            d.qualified(r.object());
            a(" RENAME TO ");
            ident(r.newName());
        }
    }

    private void alterCmd(AlterTableCmd c) {
        if (c instanceof AlterTableCmd.AddColumn ac) {
            a("ADD COLUMN ");
            if (ac.ifNotExists()) {
                a("IF NOT EXISTS ");
            }
            columnDef(ac.column());
        } else if (c instanceof AlterTableCmd.DropColumn dc) {
            a("DROP COLUMN ");
            if (dc.ifExists()) {
                a("IF EXISTS ");
            }
            ident(dc.column());
            behavior(dc.behavior());
        } else if (c instanceof AlterTableCmd.ColumnDefault cd) {
            a("ALTER COLUMN ");
            ident(cd.column());
            if (cd.expr() == null) {
                a(" DROP DEFAULT");
            } else {
                a(" SET DEFAULT ");
                d.expression(cd.expr());
            }
        } else if (c instanceof AlterTableCmd.ColumnNotNull nn) {
            a("ALTER COLUMN ");
            ident(nn.column());
            a(nn.set() ? " SET NOT NULL" : " DROP NOT NULL");
        } else if (c instanceof AlterTableCmd.ColumnType ct) {
            a("ALTER COLUMN ");
            ident(ct.column());
            a(" TYPE ");
            d.typeName(ct.type());
            if (!ct.collation().isEmpty()) {
                a(" COLLATE ");
                d.qualified(ct.collation());
            }
            if (ct.using() != null) {
                a(" USING ");
                d.expression(ct.using());
            }
        } else if (c instanceof AlterTableCmd.ColumnStatistics cs) {
            a("ALTER COLUMN ");
            ident(cs.column());
            a(" SET STATISTICS ");
            d.expression(cs.target());
        } else if (c instanceof AlterTableCmd.ColumnStorage cs) {
            a("ALTER COLUMN ");
            ident(cs.column());
            a(cs.compression() ? " SET COMPRESSION " : " SET STORAGE ");
            if (cs.value().equals("default") && cs.compression()) {
                a("DEFAULT");
            } else {
                ident(cs.value());
            }
        } else if (c instanceof AlterTableCmd.ColumnOptions co) {
            a("ALTER COLUMN ");
            ident(co.column());
            a(co.reset() ? " RESET " : " SET ");
            d.reloptions(co.options());
        } else if (c instanceof AlterTableCmd.AddIdentity ai) {
            a("ALTER COLUMN ");
            ident(ai.column());
            a(" ADD ");
            constraint(ai.identity(), true);
        } else if (c instanceof AlterTableCmd.SetIdentity si) {
            a("ALTER COLUMN ");
            ident(si.column());
            for (DefElem o : si.options()) {
                if (o.name().equals("generated")) {
                    a(" SET GENERATED ").a(o.stringValue().toUpperCase());
                } else if (o.name().equals("restart")) {
                    a(" RESTART");
                    if (o.value() != null) {
                        a(" WITH ").a(o.stringValue());
                    }
                } else {
                    a(" SET");
                    sequenceOptions(List.of(o));
                }
            }
        } else if (c instanceof AlterTableCmd.DropIdentity di) {
            a("ALTER COLUMN ");
            ident(di.column());
            a(di.expression() ? " DROP EXPRESSION" : " DROP IDENTITY");
            if (di.ifExists()) {
                a(" IF EXISTS");
            }
        } else if (c instanceof AlterTableCmd.AddConstraint ac) {
            a("ADD ");
            constraint(ac.constraint(), false);
        } else if (c instanceof AlterTableCmd.DropConstraint dc) {
            a("DROP CONSTRAINT ");
            if (dc.ifExists()) {
                a("IF EXISTS ");
            }
            ident(dc.name());
            behavior(dc.behavior());
        } else if (c instanceof AlterTableCmd.AlterConstraint ac) {
            a("ALTER CONSTRAINT ");
            ident(ac.name());
            a(ac.attrs().deferrable() ? " DEFERRABLE" : " NOT DEFERRABLE");
            a(ac.attrs().initiallyDeferred() ? " INITIALLY DEFERRED" : " INITIALLY IMMEDIATE");
        } else if (c instanceof AlterTableCmd.ValidateConstraint vc) {
            a("VALIDATE CONSTRAINT ");
            ident(vc.name());
        } else if (c instanceof AlterTableCmd.SetOptions so) {
            a(so.reset() ? "RESET " : "SET ");
            d.reloptions(so.options());
        } else if (c instanceof AlterTableCmd.OwnerTo o) {
            a("OWNER TO ");
            role(o.owner());
        } else if (c instanceof AlterTableCmd.SetTablespace ts) {
            a("SET TABLESPACE ");
            ident(ts.tablespace());
        } else if (c instanceof AlterTableCmd.Simple sm) {
            a(sm.kind().sql);
            if (sm.name() != null) {
                a(" ");
                String only = sm.name().size() == 1 ? sm.name().get(0) : null;
                if ("ALL".equals(only) || "USER".equals(only)) {
                    a(only);
                } else {
                    d.qualified(sm.name());
                }
            }
        } else if (c instanceof AlterTableCmd.AttachPartition ap) {
            a("ATTACH PARTITION ");
            d.rangeVarName(ap.partition());
            a(" ");
            partitionBound(ap.bound());
        } else if (c instanceof AlterTableCmd.DetachPartition dp) {
            a("DETACH PARTITION ");
            d.rangeVarName(dp.partition());
            if (dp.concurrently()) {
                a(" CONCURRENTLY");
            } else if (dp.finalizeDetach()) {
                a(" FINALIZE");
            }
        }
    }

    private void createIndex(Ddl.CreateIndex i) {
        a("CREATE ");
        if (i.unique()) {
            a("UNIQUE ");
        }
        a("INDEX ");
        if (i.concurrently()) {
            a("CONCURRENTLY ");
        }
        if (i.ifNotExists()) {
            a("IF NOT EXISTS ");
        }
        if (i.name() != null) {
            ident(i.name());
            a(" ");
        }
        a("ON ");
        d.rangeVar(i.relation());
        if (i.accessMethod() != null) {
            a(" USING ");
            ident(i.accessMethod());
        }
        a(" (");
        d.commaList(i.elements(), d::indexElem);
        a(")");
        if (!i.include().isEmpty()) {
            a(" INCLUDE (");
            d.commaList(i.include(), d::indexElem);
            a(")");
        }
        if (i.nullsNotDistinct()) {
            a(" NULLS NOT DISTINCT");
        }
        if (!i.options().isEmpty()) {
            a(" WITH ");
            d.reloptions(i.options());
        }
        if (i.tablespace() != null) {
            a(" TABLESPACE ");
            ident(i.tablespace());
        }
        if (i.where() != null) {
            a(" WHERE ");
            d.expression(i.where());
        }
    }

    private void objectRef(ObjectRef o) {
        d.qualified(o.name());
        if (o.argTypes() != null) {
            a("(");
            d.commaList(o.argTypes(), d::typeName);
            a(")");
        }
        if (o.table() != null) {
            a(" ON ");
            d.qualified(o.table());
        }
    }

    private void drop(Ddl.Drop dr) {
        a("DROP ").a(dr.objectType().sql).a(" ");
        if (dr.concurrently()) {
            a("CONCURRENTLY ");
        }
        if (dr.ifExists()) {
            a("IF EXISTS ");
        }
        d.commaList(dr.objects(), this::objectRef);
        behavior(dr.behavior());
    }

    private void sequenceOptions(List<DefElem> options) {
        if (!options.isEmpty()) {
            a(" ");
            sequenceOptionsBody(options);
        }
    }

    private void sequenceOptionsBody(List<DefElem> options) {
        for (int i = 0; i < options.size(); i++) {
            if (i > 0) {
                a(" ");
            }
            DefElem o = options.get(i);
            switch (o.name()) {
                case "as" -> {
                    a("AS ");
                    d.defValue(o.value());
                }
                case "cache", "maxvalue", "minvalue", "increment", "start" -> {
                    if (o.value() == null) {
                        a("NO ").a(o.name().toUpperCase());
                    } else {
                        a(o.name().toUpperCase()).a(o.name().equals("start") ? " WITH " : o.name()
                                .equals("increment") ? " BY " : " ").a(o.stringValue());
                    }
                }
                case "cycle" -> a("true".equals(o.stringValue()) ? "CYCLE" : "NO CYCLE");
                case "owned_by" -> {
                    a("OWNED BY ");
                    d.defValue(o.value());
                }
                case "sequence_name" -> {
                    a("SEQUENCE NAME ");
                    d.defValue(o.value());
                }
                case "restart" -> {
                    a("RESTART");
                    if (o.value() != null) {
                        a(" WITH ").a(o.stringValue());
                    }
                }
                case "logged", "unlogged" -> a(o.name().toUpperCase());
                default -> throw new IllegalArgumentException(o.name());
            }
        }
    }

    private void databaseOptions(List<DefElem> options) {
        for (DefElem o : options) {
            a(" ");
            if (o.name().equals("connection_limit")) {
                a("CONNECTION LIMIT");
            } else if (o.name().matches("[a-z_]+") && !o.name().equals("connection")) {
                a(o.name().toUpperCase());
            } else {
                ident(o.name());
            }
            a(" = ");
            if (o.value() == null) {
                a("DEFAULT");
            } else {
                d.defValue(o.value());
            }
        }
    }

    private void roleOptions(List<DefElem> options, boolean create) {
        if (!options.isEmpty()) {
            a(" WITH");
        }
        for (DefElem o : options) {
            a(" ");
            String v = o.stringValue();
            switch (o.name()) {
                case "password" -> a(o.value() == null ? "PASSWORD NULL" : "PASSWORD " + lit(v));
                case "connectionlimit" -> a("CONNECTION LIMIT ").a(v);
                case "validUntil" -> a("VALID UNTIL ").a(lit(v));
                case "rolemembers" -> {
                    a(create ? "ROLE " : "USER ");
                    roleNames(o.value());
                }
                case "adminmembers" -> {
                    a("ADMIN ");
                    roleNames(o.value());
                }
                case "addroleto" -> {
                    a("IN ROLE ");
                    roleNames(o.value());
                }
                case "sysid" -> a("SYSID ").a(v);
                case "inherit" -> a("true".equals(v) ? "INHERIT" : "NOINHERIT");
                default -> {
                    String word = switch (o.name()) {
                        case "superuser" -> "SUPERUSER";
                        case "createrole" -> "CREATEROLE";
                        case "isreplication" -> "REPLICATION";
                        case "createdb" -> "CREATEDB";
                        case "canlogin" -> "LOGIN";
                        case "bypassrls" -> "BYPASSRLS";
                        default -> throw new IllegalArgumentException(o.name());
                    };
                    a("true".equals(v) ? word : "NO" + word);
                }
            }
        }
    }

    private void roleNames(DefElem.Value v) {
        d.commaList(((DefElem.Lst) v).values(), x -> {
            String name = ((DefElem.Name) x).parts().get(0);
            switch (name) {
                case "current_role", "current_user", "session_user" -> a(name.toUpperCase());
                case "public" -> a("PUBLIC");
                default -> ident(name);
            }
        });
    }

    private static final java.util.Set<String> PRIVILEGE_WORDS = java.util.Set.of("select", "insert", "update",
            "delete", "truncate", "references", "trigger", "create", "connect", "temporary", "temp", "execute",
            "usage", "set", "maintain");

    private void grant(Ddl.Grant g) {
        a(g.grant() ? "GRANT " : "REVOKE ");
        if (!g.grant() && g.grantOption()) {
            a("GRANT OPTION FOR ");
        }
        if (g.privileges() == null) {
            a("ALL");
        } else {
            d.commaList(g.privileges(), p -> {
                if (p.name() == null) {
                    a("ALL");
                } else if (PRIVILEGE_WORDS.contains(p.name())) {
                    a(p.name().toUpperCase());
                } else {
                    ident(p.name());
                }
                if (!p.columns().isEmpty()) {
                    a(" ");
                    d.parenIdentifiers(p.columns());
                }
            });
        }
        a(" ON ");
        if (g.allInSchema()) {
            String what = switch (g.objectType()) {
                case SEQUENCE -> "SEQUENCES";
                case FUNCTION -> "FUNCTIONS";
                case PROCEDURE -> "PROCEDURES";
                case ROUTINE -> "ROUTINES";
                default -> "TABLES";
            };
            a("ALL ").a(what).a(" IN SCHEMA ");
        } else {
            a(g.objectType().sql).a(" ");
        }
        if (g.objectType() == ObjectType.LARGE_OBJECT) {
            d.commaList(g.objects(), o -> a(o.name().get(0)));
        } else {
            d.commaList(g.objects(), this::objectRef);
        }
        a(g.grant() ? " TO " : " FROM ");
        d.commaList(g.grantees(), this::role);
        if (g.grant() && g.grantOption()) {
            a(" WITH GRANT OPTION");
        }
        if (g.grantedBy() != null) {
            a(" GRANTED BY ");
            role(g.grantedBy());
        }
        behavior(g.behavior());
    }

    // --------------------------------------------------------------- utility

    void utility(Utility s) {
        if (s instanceof Utility.Transaction t) {
            transaction(t);
        } else if (s instanceof Utility.VariableSet v) {
            variableSet(v);
        } else if (s instanceof Utility.SetTransaction t) {
            a(t.local() ? "SET LOCAL " : "SET ");
            if (t.snapshot() != null) {
                a("TRANSACTION SNAPSHOT ").a(lit(t.snapshot()));
            } else {
                a(t.sessionCharacteristics() ? "SESSION CHARACTERISTICS AS TRANSACTION " : "TRANSACTION ");
                modes(t.modes());
            }
        } else if (s instanceof Utility.SetConstraints c) {
            a("SET CONSTRAINTS ");
            if (c.constraints() == null) {
                a("ALL");
            } else {
                d.commaList(c.constraints(), d::rangeVarName);
            }
            a(c.deferred() ? " DEFERRED" : " IMMEDIATE");
        } else if (s instanceof Utility.Show sh) {
            a("SHOW ");
            if (sh.name().equals("all")) {
                a("ALL");
            } else {
                varName(sh.name());
            }
        } else if (s instanceof Utility.Discard di) {
            a("DISCARD ").a(di.target().name());
        } else if (s instanceof Utility.Prepare p) {
            a("PREPARE ");
            ident(p.name());
            if (!p.argTypes().isEmpty()) {
                a(" (");
                d.commaList(p.argTypes(), d::typeName);
                a(")");
            }
            a(" AS ");
            d.anyStatement(p.query());
        } else if (s instanceof Utility.Execute e) {
            a("EXECUTE ");
            ident(e.name());
            if (!e.params().isEmpty()) {
                a("(");
                d.commaList(e.params(), d::expression);
                a(")");
            }
        } else if (s instanceof Utility.Deallocate de) {
            a("DEALLOCATE ");
            if (de.name() == null) {
                a("ALL");
            } else {
                ident(de.name());
            }
        } else if (s instanceof Utility.Explain e) {
            a("EXPLAIN ");
            if (!e.options().isEmpty()) {
                utilityOptions(e.options());
                a(" ");
            }
            d.anyStatement(e.query());
        } else if (s instanceof Utility.Vacuum v) {
            a(v.vacuum() ? "VACUUM" : "ANALYZE");
            if (!v.options().isEmpty()) {
                a(" ");
                utilityOptions(v.options());
            }
            if (!v.relations().isEmpty()) {
                a(" ");
                d.commaList(v.relations(), r -> {
                    d.rangeVarName(r.relation());
                    if (!r.columns().isEmpty()) {
                        a(" ");
                        d.parenIdentifiers(r.columns());
                    }
                });
            }
        } else if (s instanceof Utility.Checkpoint) {
            a("CHECKPOINT");
        } else if (s instanceof Utility.Lock l) {
            a("LOCK TABLE ");
            d.commaList(l.relations(), d::rangeVar);
            a(" IN ").a(l.mode().sql).a(" MODE");
            if (l.nowait()) {
                a(" NOWAIT");
            }
        } else if (s instanceof Utility.Copy c) {
            copy(c);
        } else if (s instanceof Utility.Listen l) {
            a("LISTEN ");
            ident(l.channel());
        } else if (s instanceof Utility.Notify n) {
            a("NOTIFY ");
            ident(n.channel());
            if (n.payload() != null) {
                a(", ").a(lit(n.payload()));
            }
        } else if (s instanceof Utility.Unlisten u) {
            a("UNLISTEN ");
            if (u.channel() == null) {
                a("*");
            } else {
                ident(u.channel());
            }
        } else if (s instanceof Utility.Do dos) {
            a("DO ");
            if (dos.language() != null) {
                a("LANGUAGE ");
                ident(dos.language());
                a(" ");
            }
            a(lit(dos.code()));
        } else if (s instanceof Utility.AlterSystem as) {
            a("ALTER SYSTEM ");
            variableSet(as.set());
        } else if (s instanceof Utility.DeclareCursor dc) {
            a("DECLARE ");
            ident(dc.name());
            for (Utility.CursorOption o : Utility.CursorOption.values()) {
                if (dc.options().contains(o) && o != Utility.CursorOption.HOLD) {
                    a(" ").a(o == Utility.CursorOption.NO_SCROLL ? "NO SCROLL" : o.name());
                }
            }
            a(" CURSOR");
            if (dc.options().contains(Utility.CursorOption.HOLD)) {
                a(" WITH HOLD");
            }
            a(" FOR ");
            d.select(dc.query());
        } else if (s instanceof Utility.Fetch f) {
            a(f.move() ? "MOVE " : "FETCH ");
            String count = f.count() == Utility.Fetch.ALL ? "ALL" : Long.toString(f.count());
            switch (f.direction()) {
                case FORWARD -> a("FORWARD ").a(count);
                case BACKWARD -> a("BACKWARD ").a(count);
                case ABSOLUTE -> a("ABSOLUTE ").a(count);
                case RELATIVE -> a("RELATIVE ").a(count);
            }
            a(" FROM ");
            ident(f.cursor());
        } else if (s instanceof Utility.Close c) {
            a("CLOSE ");
            if (c.name() == null) {
                a("ALL");
            } else {
                ident(c.name());
            }
        } else if (s instanceof Utility.Call c) {
            a("CALL ");
            d.expression(c.call());
        } else if (s instanceof Utility.Unsupported u) {
            a(u.text());
        } else {
            throw new IllegalArgumentException("cannot deparse " + s);
        }
    }

    private void transaction(Utility.Transaction t) {
        switch (t.kind()) {
            case BEGIN -> {
                a("BEGIN");
                if (!t.modes().isEmpty()) {
                    a(" ");
                    modes(t.modes());
                }
            }
            case START -> {
                a("START TRANSACTION");
                if (!t.modes().isEmpty()) {
                    a(" ");
                    modes(t.modes());
                }
            }
            case COMMIT -> a(t.chain() ? "COMMIT AND CHAIN" : "COMMIT");
            case ROLLBACK -> a(t.chain() ? "ROLLBACK AND CHAIN" : "ROLLBACK");
            case SAVEPOINT -> {
                a("SAVEPOINT ");
                ident(t.name());
            }
            case RELEASE -> {
                a("RELEASE SAVEPOINT ");
                ident(t.name());
            }
            case ROLLBACK_TO -> {
                a("ROLLBACK TO SAVEPOINT ");
                ident(t.name());
            }
            case PREPARE -> a("PREPARE TRANSACTION ").a(lit(t.name()));
            case COMMIT_PREPARED -> a("COMMIT PREPARED ").a(lit(t.name()));
            case ROLLBACK_PREPARED -> a("ROLLBACK PREPARED ").a(lit(t.name()));
        }
    }

    private void modes(List<TransactionMode> modes) {
        d.commaList(modes, m -> {
            switch (m.kind()) {
                case ISOLATION_LEVEL -> a("ISOLATION LEVEL ").a(m.level().sql);
                case READ_ONLY -> a("READ ONLY");
                case READ_WRITE -> a("READ WRITE");
                case DEFERRABLE -> a("DEFERRABLE");
                case NOT_DEFERRABLE -> a("NOT DEFERRABLE");
            }
        });
    }

    private void varName(String name) {
        String[] parts = name.split("\\.");
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                a(".");
            }
            ident(parts[i]);
        }
    }

    private void variableSet(Utility.VariableSet v) {
        switch (v.kind()) {
            case RESET -> {
                a("RESET ");
                varName(v.name());
                return;
            }
            case RESET_ALL -> {
                a("RESET ALL");
                return;
            }
            default -> {
            }
        }
        a(v.local() ? "SET LOCAL " : "SET ");
        if (v.name().equals("timezone") && v.kind() != Utility.SetKind.FROM_CURRENT) {
            a("TIME ZONE ");
            if (v.kind() == Utility.SetKind.DEFAULT) {
                a("DEFAULT");
            } else {
                Expr value = v.values().get(0);
                if (value instanceof Expr.TypeCast tc) {
                    TypeName t = tc.type();
                    a("INTERVAL");
                    if (t.intervalFields() == null && !t.typmods().isEmpty()) {
                        a("(");
                        d.expression(t.typmods().get(0));
                        a(")");
                    }
                    a(" ");
                    d.expression(tc.arg());
                    if (t.intervalFields() != null) {
                        a(" ").a(t.intervalFields());
                        if (!t.typmods().isEmpty()) {
                            a("(");
                            d.expression(t.typmods().get(0));
                            a(")");
                        }
                    }
                } else {
                    d.expression(value);
                }
            }
            return;
        }
        varName(v.name());
        switch (v.kind()) {
            case FROM_CURRENT -> a(" FROM CURRENT");
            case DEFAULT -> a(" TO DEFAULT");
            default -> {
                a(" TO ");
                d.commaList(v.values(), d::expression);
            }
        }
    }

    private void utilityOptions(List<DefElem> options) {
        a("(");
        d.commaList(options, o -> {
            a(o.name().toUpperCase());
            if (o.value() != null) {
                a(" ");
                d.defValue(o.value());
            }
        });
        a(")");
    }

    private void copy(Utility.Copy c) {
        a("COPY ");
        if (c.query() != null) {
            a("(");
            d.anyStatement(c.query());
            a(")");
        } else {
            d.rangeVarName(c.relation());
            if (!c.columns().isEmpty()) {
                a(" ");
                d.parenIdentifiers(c.columns());
            }
        }
        a(c.from() ? " FROM " : " TO ");
        if (c.program()) {
            a("PROGRAM ");
        }
        if (c.filename() == null) {
            a(c.from() ? "STDIN" : "STDOUT");
        } else {
            a(lit(c.filename()));
        }
        if (!c.options().isEmpty()) {
            a(" WITH (");
            d.commaList(c.options(), o -> {
                ident(o.name());
                if (o.value() != null) {
                    a(" ");
                    d.defValue(o.value());
                }
            });
            a(")");
        }
        if (c.where() != null) {
            a(" WHERE ");
            d.expression(c.where());
        }
    }

    // ------------------------------------------------------------------- routines

    private void functionParam(Ddl.FunctionParam p) {
        switch (p.mode()) {
            case 'o' -> a("OUT ");
            case 'b' -> a("INOUT ");
            case 'v' -> a("VARIADIC ");
            default -> {
            }
        }
        if (p.name() != null) {
            ident(p.name());
            a(" ");
        }
        d.typeName(p.type());
        if (p.defaultValue() != null) {
            a(" DEFAULT ");
            d.expression(p.defaultValue());
        }
    }

    private void createFunction(Ddl.CreateFunction f) {
        a("CREATE ");
        if (f.orReplace()) {
            a("OR REPLACE ");
        }
        a(f.procedure() ? "PROCEDURE " : "FUNCTION ");
        d.qualified(f.name());
        a("(");
        d.commaList(f.params(), this::functionParam);
        a(")");
        if (f.tableColumns() != null) {
            a(" RETURNS TABLE (");
            d.commaList(f.tableColumns(), c -> {
                ident(c.name());
                a(" ");
                d.typeName(c.type());
            });
            a(")");
        } else if (f.returns() != null) {
            a(" RETURNS ");
            d.typeName(f.returns());
        }
        a(" LANGUAGE ");
        ident(f.language());
        switch (f.volatility()) {
            case 'i' -> a(" IMMUTABLE");
            case 's' -> a(" STABLE");
            default -> {
            }
        }
        if (f.strict()) {
            a(" STRICT");
        }
        if (f.securityDefiner()) {
            a(" SECURITY DEFINER");
        }
        a(" AS ").a(lit(f.body()));
    }

    private void createTrigger(Ddl.CreateTrigger t) {
        a("CREATE ");
        if (t.orReplace()) {
            a("OR REPLACE ");
        }
        a("TRIGGER ");
        ident(t.name());
        a(t.timing() == 'B' ? " BEFORE " : t.timing() == 'A' ? " AFTER " : " INSTEAD OF ");
        for (int i = 0; i < t.events().size(); i++) {
            a(i > 0 ? " OR " : "").a(t.events().get(i));
            if (t.events().get(i).equals("UPDATE") && !t.updateColumns().isEmpty()) {
                a(" OF ");
                d.identifiers(t.updateColumns());
            }
        }
        a(" ON ");
        d.rangeVarName(t.table());
        if (!t.referencing().isEmpty()) {
            a(" REFERENCING");
            for (String r : t.referencing()) {
                a(r.startsWith("OLD") ? " OLD TABLE AS " : " NEW TABLE AS ");
                ident(r.substring(4));
            }
        }
        a(t.forEachRow() ? " FOR EACH ROW" : " FOR EACH STATEMENT");
        if (t.when() != null) {
            a(" WHEN (");
            d.expression(t.when());
            a(")");
        }
        a(" EXECUTE FUNCTION ");
        d.qualified(t.function());
        a("(");
        d.commaList(t.args(), x -> a(lit(x)));
        a(")");
    }
}
