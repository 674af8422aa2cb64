package modgres.api.page;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Little-endian absolute access to a page, whatever the buffer's own byte
 * order: the layout on disk is the one PostgreSQL writes on x86-64 and ARM64.
 */
final class Le {
    private static final VarHandle SHORT = MethodHandles.byteBufferViewVarHandle(short[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class,
            ByteOrder.LITTLE_ENDIAN);

    private Le() {
    }

    static int u16(ByteBuffer b, int index) {
        return (short) SHORT.get(b, index) & 0xFFFF;
    }

    static void u16(ByteBuffer b, int index, int value) {
        SHORT.set(b, index, (short) value);
    }

    static int i32(ByteBuffer b, int index) {
        return (int) INT.get(b, index);
    }

    static void i32(ByteBuffer b, int index, int value) {
        INT.set(b, index, value);
    }

    static int u8(ByteBuffer b, int index) {
        return b.get(index) & 0xFF;
    }

    static void u8(ByteBuffer b, int index, int value) {
        b.put(index, (byte) value);
    }
}
