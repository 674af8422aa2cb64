package modgres.backend.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class PgWriterTest {
    @Test
    void encodesUtf8AndLengths() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PgWriter w = new PgWriter(Channels.newChannel(sink));
        String s = "aé€𝄞";
        w.begin('C').cstring(s).end();
        w.flush();
        byte[] want = s.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.wrap(sink.toByteArray());
        assertEquals('C', b.get());
        assertEquals(4 + want.length + 1, b.getInt());
        byte[] got = new byte[want.length];
        b.get(got);
        assertArrayEquals(want, got);
        assertEquals(0, b.get());
    }

    @Test
    void largeMessagesGrowTheBufferAndPartialMessagesWaitForTheirEnd() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PgWriter w = new PgWriter(Channels.newChannel(sink));
        w.begin('Z').int8('I').end();
        w.begin('d');
        w.bytes(new byte[100_000]);
        w.flush(); // only the complete message goes out
        assertEquals(6, sink.size());
        w.end();
        w.flush();
        assertEquals(6 + 5 + 100_000, sink.size());
        assertEquals(4 + 100_000, ByteBuffer.wrap(sink.toByteArray()).getInt(7));
    }
}
