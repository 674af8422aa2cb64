package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * GRANT role TO role / REVOKE (pg_auth_members): membership, inherited privileges, SET ROLE and
 * pg_has_role, with PostgreSQL 15's tags, notices, warnings and errors.
 */
class RoleMembershipTest extends DataEngineTestBase {
    // also REASSIGN OWNED / DROP OWNED, ALTER ... OWNER TO, DROP ROLE's dependency check, views' owner checks

    private static final String MEMBERS = "select r.rolname, m.rolname as member, admin_option from pg_auth_members x"
            + " join pg_roles r on r.oid = x.roleid join pg_roles m on m.oid = x.member"
            + " where r.rolname like 'a%' order by 1, 2";

    @Test
    void grantAndRevokeMaintainPgAuthMembers() {
        exec("create role a1", "create role a2", "create role a3 login noinherit", "create role a4 login");
        assertEquals(List.of("C GRANT ROLE"), run("grant a1 to a2"));
        assertEquals(List.of("N NOTICE 00000 role \"a2\" is already a member of role \"a1\"", "C GRANT ROLE"),
                run("grant a1 to a2"));
        error("grant a2 to a1", "0LP01", "role \"a2\" is a member of role \"a1\"");
        error("grant a1 to a1", "0LP01", "role \"a1\" is a member of role \"a1\"");
        error("grant nosuch to a4", "42704", "role \"nosuch\" does not exist");
        error("grant a4 to nosuch", "42704", "role \"nosuch\" does not exist");
        assertEquals(List.of("N WARNING 01000 role \"a3\" is not a member of role \"a1\"", "C REVOKE ROLE"),
                run("revoke a1 from a3"));
        exec("grant a1 to a3, a4 with admin option");
        assertEquals(List.of("rolname|member|admin_option", "a1|a2|f", "a1|a3|t", "a1|a4|t"), table(MEMBERS));
        exec("revoke admin option for a1 from a4");
        assertEquals(List.of("rolname|member|admin_option", "a1|a2|f", "a1|a3|t", "a1|a4|f"), table(MEMBERS));
        exec("revoke a1 from a2");
        assertEquals(List.of("rolname|member|admin_option", "a1|a3|t", "a1|a4|f"), table(MEMBERS));
        // initdb's own memberships
        assertEquals(List.of("count", "3"), table("select count(*) from pg_auth_members x join pg_roles m"
                + " on m.oid = x.member where m.rolname = 'pg_monitor'"));
        // dropping a role drops its memberships
        exec("drop role a1");
        assertEquals(List.of("rolname|member|admin_option"), table(MEMBERS));
    }

    @Test
    void membersHaveTheRolesPrivilegesUnlessNoinherit() {
        exec("create role a1", "create role a3 login noinherit", "create role a4 login", "create role a5 login",
                "grant a1 to a3, a4", "grant a4 to a5", "create table pt (a int)", "insert into pt values (7)",
                "grant select on pt to a1");
        exec("set role a3");
        error("select * from pt", "42501", "permission denied for table pt");
        exec("reset role", "set role a4");
        assertEquals(List.of("a", "7"), table("select * from pt"));
        // through two levels
        exec("reset role", "set role a5");
        assertEquals(List.of("a", "7"), table("select * from pt"));
        exec("reset role");
        assertEquals(List.of("m|u|u2", "t|f|t"), table("select pg_has_role('a3', 'a1', 'member') m,"
                + " pg_has_role('a3', 'a1', 'usage') u, pg_has_role('a5', 'a1', 'usage') u2"));
        // an owner's members act as the owner
        exec("create role own", "grant create on schema public to own", "set role own", "create table po (a int)",
                "insert into po values (8)", "reset role", "grant own to a4", "set role a4");
        assertEquals(List.of("a", "8"), table("select * from po"));
        assertEquals(List.of("C GRANT"), run("grant select on po to a3"));
        exec("reset role", "revoke own from a4", "set role a4");
        error("select * from po", "42501", "permission denied for table po");
        assertEquals(List.of("a", "7"), table("select * from pt")); // still through a1
        exec("reset role");
    }

    @Test
    void setRoleNeedsMembershipAndGrantingNeedsAdminOption() {
        exec("create role a1", "create role a4 login", "create role a6 login", "grant a1 to a4");
        exec("set session authorization a6");
        error("set role a1", "42501", "permission denied to set role \"a1\"");
        error("grant a1 to a6", "42501", "must have admin option on role \"a1\"");
        exec("reset session authorization", "set session authorization a4", "set role a1");
        assertEquals(List.of("current_user", "a1"), table("select current_user"));
        exec("reset role");
        error("grant a1 to a6", "42501", "must have admin option on role \"a1\"");
        exec("reset session authorization", "grant a1 to a4 with admin option", "set session authorization a4");
        assertEquals(List.of("C GRANT ROLE"), run("grant a1 to a6"));
        exec("reset session authorization");
        assertTrue(table("select r.rolname from pg_roles r join pg_auth_members m on m.roleid = r.oid"
                + " join pg_roles u on u.oid = m.member where u.rolname = 'a6'").contains("a1"));
        exec("create role boss superuser", "set session authorization a4");
        error("grant boss to a6", "42501", "must be superuser to alter superusers");
        exec("reset session authorization");
    }

    @Test
    void aViewsRelationsAreCheckedAsItsOwner() {
        exec("create role vo", "create role vu", "create table vt (a int, b int)", "insert into vt values (1, 2)",
                "grant create on schema public to vo", "grant select on vt to vo", "set role vo",
                "create view vv as select a from vt", "reset role", "set role vu");
        error("select * from vv", "42501", "permission denied for view vv");
        exec("reset role", "grant select on vv to vu", "set role vu");
        assertEquals(List.of("a", "1"), table("select * from vv"));
        error("select * from vt", "42501", "permission denied for table vt");
        exec("reset role", "revoke select on vt from vo", "set role vu");
        error("select * from vv", "42501", "permission denied for table vt");
        // a superuser's view: its relations need nothing more
        exec("reset role", "create view sv as select b from vt", "grant select on sv to vu", "set role vu");
        assertEquals(List.of("b", "2"), table("select * from sv"));
        exec("reset role");
    }

    @Test
    void alterOwnerMovesTheRelationItsIndexesSequencesAndAcl() {
        exec("create role o1", "create role o2", "create role o3", "create table ot (id serial primary key, b text)",
                "grant select on ot to o3");
        assertEquals(List.of("C ALTER TABLE"), run("alter table ot owner to o1"));
        String owners = "select c.relname, r.rolname, c.relacl from pg_class c join pg_roles r on r.oid = c.relowner"
                + " where c.relname like 'ot%' order by 1";
        assertEquals(List.of("relname|rolname|relacl", "ot|o1|{o1=arwdDxt/o1,o3=r/o1}", "ot_id_seq|o1|",
                "ot_pkey|o1|"), table(owners));
        exec("set role o2");
        error("alter table ot owner to o2", "42501", "must be owner of table ot");
        exec("reset role", "grant o1 to o2", "set role o2");
        error("alter table ot owner to o3", "42501", "must be member of role \"o3\"");
        exec("reset role", "grant o3 to o2", "set role o2");
        error("alter table ot owner to o3", "42501", "permission denied for schema public");
        exec("reset role", "grant create on schema public to o3", "set role o2", "alter table ot owner to o3",
                "reset role");
        assertEquals(List.of("relname|rolname|relacl", "ot|o3|{o3=arwdDxt/o3}", "ot_id_seq|o3|", "ot_pkey|o3|"),
                table(owners));
        error("alter table nosuch owner to o1", "42P01", "relation \"nosuch\" does not exist");
        assertEquals(List.of("N NOTICE 00000 relation \"nosuch\" does not exist, skipping", "C ALTER TABLE"),
                run("alter table if exists nosuch owner to o1"));
        error("alter table ot owner to nosuch", "42704", "role \"nosuch\" does not exist");
        exec("create view ov as select 1");
        assertEquals(List.of("C ALTER VIEW"), run("alter view ov owner to o1"));
    }

    @Test
    void dropRoleRefusesWhileObjectsDependOnIt() {
        exec("create role d1", "create role d2", "create role d3", "create table dt (a int)",
                "create table dt2 (a int)", "alter table dt owner to d1", "grant select on dt2 to d2",
                "grant usage on schema public to d3", "create sequence dseq", "alter sequence dseq owner to d1");
        PgExceptionCheck.detail(error("drop role d1", "2BP01",
                "role \"d1\" cannot be dropped because some objects depend on it"),
                "owner of table dt\nowner of sequence dseq");
        PgExceptionCheck.detail(error("drop role d2", "2BP01",
                "role \"d2\" cannot be dropped because some objects depend on it"), "privileges for table dt2");
        PgExceptionCheck.detail(error("drop role d3", "2BP01",
                "role \"d3\" cannot be dropped because some objects depend on it"), "privileges for schema public");
        exec("drop table dt", "drop sequence dseq", "revoke select on dt2 from d2", "revoke usage on schema public from d3");
        assertEquals(List.of("C DROP ROLE"), run("drop role d1, d2, d3"));
    }

    private static final class PgExceptionCheck {
        static void detail(modgres.api.error.PgException e, String detail) {
            assertEquals(detail, e.detail());
        }
    }

    @Test
    void reassignAndDropOwnedClearTheWayForDropRole() {
        exec("create role x1", "create role x2", "grant create on schema public to x1", "create table keep (a int)",
                "grant select on keep to x1", "set role x1", "create table xt (id serial, b text)",
                "create view xv as select * from xt", "create function xf() returns int language sql as 'select 1'",
                "reset role", "create schema xs authorization x1");
        String owners = "select c.relname, r.rolname from pg_class c join pg_roles r on r.oid = c.relowner"
                + " where c.relname like 'x%' order by 1";
        assertEquals(List.of("relname|rolname", "xt|x1", "xt_id_seq|x1", "xv|x1"), table(owners));
        assertEquals(List.of("C REASSIGN OWNED"), run("reassign owned by x1 to x2"));
        assertEquals(List.of("relname|rolname", "xt|x2", "xt_id_seq|x2", "xv|x2"), table(owners));
        assertEquals(List.of("nspname|rolname", "xs|x2"), table("select nspname, r.rolname from pg_namespace n"
                + " join pg_roles r on r.oid = n.nspowner where nspname = 'xs'"));
        PgExceptionCheck.detail(error("drop role x1", "2BP01",
                "role \"x1\" cannot be dropped because some objects depend on it"),
                "privileges for schema public\nprivileges for table keep");
        exec("revoke create on schema public from x1");
        assertEquals(List.of("C DROP OWNED"), run("drop owned by x1"));
        assertEquals(List.of("C DROP ROLE"), run("drop role x1"));
        assertEquals(List.of("C DROP OWNED"), run("drop owned by x2"));
        assertEquals(List.of("count", "0"), table("select count(*) from pg_class where relname like 'x%'"));
        assertEquals(List.of("count", "0"), table("select count(*) from pg_namespace where nspname = 'xs'"));
        assertEquals(List.of("C DROP ROLE"), run("drop role x2"));
        error("drop owned by nosuch", "42704", "role \"nosuch\" does not exist");
        // CREATE SCHEMA AUTHORIZATION without a name: the schema is named after the role
        exec("create role x3", "create schema authorization x3");
        assertEquals(List.of("nspname|rolname", "x3|x3"), table("select nspname, r.rolname from pg_namespace n"
                + " join pg_roles r on r.oid = n.nspowner where nspname = 'x3'"));
        exec("create role x4", "set role x4");
        error("reassign owned by x3 to x4", "42501", "permission denied to reassign objects");
        error("drop owned by x3", "42501", "permission denied to drop objects");
        exec("reset role");
    }

    @Test
    void policiesForARoleApplyToItsMembersAndTheOwnersMembersAreExempt() {
        exec("create role grp", "create role mem login", "grant grp to mem", "create table rl (a int, who text)",
                "insert into rl values (1, 'x'), (2, 'y')", "alter table rl enable row level security",
                "create policy p_grp on rl for select to grp using (a = 1)", "grant select on rl to grp",
                "set role mem");
        assertEquals(List.of("a|who", "1|x"), table("select * from rl"));
        exec("reset role", "create role own2", "grant own2 to mem", "alter table rl owner to own2", "set role mem");
        assertEquals(List.of("a|who", "1|x", "2|y"), table("select * from rl order by a"));
        exec("reset role");
    }
}
