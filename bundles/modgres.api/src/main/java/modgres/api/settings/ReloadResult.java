package modgres.api.settings;

import java.util.List;

/**
 * What a reload did.
 *
 * @param changed        settings whose value changed and was applied
 * @param pendingRestart settings whose file value differs but need a restart
 * @param errors         error messages (with file and line); non-empty means some changes were not applied
 */
public record ReloadResult(List<String> changed, List<String> pendingRestart, List<String> errors) {
    public ReloadResult {
        changed = List.copyOf(changed);
        pendingRestart = List.copyOf(pendingRestart);
        errors = List.copyOf(errors);
    }
}
