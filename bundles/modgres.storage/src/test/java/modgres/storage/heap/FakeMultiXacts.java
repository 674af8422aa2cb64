package modgres.storage.heap;

import java.util.ArrayList;
import java.util.List;

import modgres.api.txn.MultiXactManager;
import modgres.api.txn.MultiXactMember;

/**
 * MultiXacts in memory for the heap's tests (the real store, with its files
 * and WAL, is modgres.txn's and tested there): ids from 1, members kept as
 * given. Survives a fixture "crash" when the fake transaction manager does.
 */
final class FakeMultiXacts implements MultiXactManager {
    private final List<MultiXactMember[]> multis = new ArrayList<>();

    @Override
    public synchronized int create(MultiXactMember[] members) {
        if (members.length < 1) {
            throw new IllegalArgumentException("no members");
        }
        multis.add(members.clone());
        return multis.size();
    }

    @Override
    public synchronized MultiXactMember[] members(int multi) {
        return multi < 1 || multi > multis.size() ? new MultiXactMember[0] : multis.get(multi - 1).clone();
    }

    @Override
    public synchronized int nextMultiId() {
        return multis.size() + 1;
    }
}
