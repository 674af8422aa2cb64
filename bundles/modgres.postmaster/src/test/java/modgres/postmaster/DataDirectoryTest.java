package modgres.postmaster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.error.PgException;
import modgres.postmaster.guc.GucSettings;

class DataDirectoryTest {
    @TempDir
    Path tmp;

    private final List<String> logged = new ArrayList<>();
    private final GucSettings.Reporter reporter = (sev, state, msg, detail, hint) -> logged.add(sev + ": " + msg);

    @Test
    void initialisesLikeInitdbWithTrustAndWarnsAboutIt() throws Exception {
        Path data = tmp.resolve("data");
        assertTrue(DataDirectory.needsInit(data));
        DataDirectory.initialize(data, DataDirectory.InitOptions.defaults(), reporter);
        assertFalse(DataDirectory.needsInit(data));
        DataDirectory.check(data);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        assertTrue(Files.readString(data.resolve("pg_hba.conf")).contains(
                "host    all             all             127.0.0.1/32            trust"));
        assertTrue(Files.readString(data.resolve(DataDirectory.AUTHID_FILE)).contains("postgres\ttrue\t\n"));
        assertTrue(logged.contains("WARNING: enabling \"trust\" authentication for local connections"), logged.toString());
        // The configuration initdb wrote loads cleanly.
        GucSettings.load(data, List.of(), reporter);
    }

    @Test
    void passwordAuthenticationStoresAScramVerifier() throws Exception {
        Path data = tmp.resolve("data");
        DataDirectory.initialize(data, new DataDirectory.InitOptions("admin", "scram-sha-256", "s3cret"), reporter);
        assertTrue(Files.readString(data.resolve("pg_hba.conf")).contains("scram-sha-256"));
        assertTrue(Files.readString(data.resolve(DataDirectory.AUTHID_FILE)).contains("admin\ttrue\tSCRAM-SHA-256$4096:"));
        assertFalse(logged.stream().anyMatch(l -> l.contains("trust")));
    }

    @Test
    void rejectsWhatPostgresRejects() throws Exception {
        Path notData = tmp.resolve("x");
        Files.createDirectories(notData, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.writeString(notData.resolve("some file"), "");
        PgException e = assertThrows(PgException.class, () -> DataDirectory.check(notData));
        assertEquals("\"" + notData + "\" is not a valid data directory", e.getMessage());
        assertEquals("File \"" + notData.resolve("PG_VERSION") + "\" is missing.", e.detail());

        Files.writeString(notData.resolve("PG_VERSION"), "14\n");
        e = assertThrows(PgException.class, () -> DataDirectory.check(notData));
        assertEquals("database files are incompatible with server", e.getMessage());

        Files.writeString(notData.resolve("PG_VERSION"), "15\n");
        Files.setPosixFilePermissions(notData, PosixFilePermissions.fromString("rwxr-xr-x"));
        e = assertThrows(PgException.class, () -> DataDirectory.check(notData));
        assertEquals("data directory \"" + notData + "\" has invalid permissions", e.getMessage());
        assertEquals("Permissions should be u=rwx (0700) or u=rwx,g=rx (0750).", e.detail());
        Files.setPosixFilePermissions(notData, PosixFilePermissions.fromString("rwxr-x---"));
        DataDirectory.check(notData);
    }
}
