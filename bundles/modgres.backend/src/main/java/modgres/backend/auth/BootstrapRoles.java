package modgres.backend.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

import modgres.api.sql.SqlEngine.Role;

/**
 * The roles that exist before the system catalog does: the bootstrap
 * superuser that the first start writes to {@code global/pg_authid.bootstrap}
 * (tab-separated {@code rolname}, {@code rolsuper}, {@code rolpassword};
 * {@code #} starts a comment line; an empty password field means none). Used
 * only while no {@code SqlEngine} is bound; remove this class when the
 * catalog always answers. The file is read at each lookup (it is tiny and
 * authentication is rare), so a new start's file is always seen.
 */
public final class BootstrapRoles {
    public static final String FILE = "global/pg_authid.bootstrap";

    private final Path file;

    public BootstrapRoles(Path dataDirectory) {
        this.file = dataDirectory.resolve(FILE);
    }

    public Optional<Role> role(String name) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f[0].equals(name)) {
                    boolean superuser = f.length > 1 && f[1].trim().equals("true");
                    String password = f.length > 2 && !f[2].isBlank() ? f[2].trim() : null;
                    return Optional.of(new Role(name, superuser, true, password));
                }
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
