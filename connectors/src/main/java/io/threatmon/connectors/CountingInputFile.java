package io.threatmon.connectors;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/** A Parquet input file that counts bytes read, for progress. */
final class CountingInputFile implements InputFile {

    private final InputFile delegate;
    private final String name;
    private long read;

    CountingInputFile(InputFile delegate, String name) {
        this.delegate = delegate;
        this.name = name;
    }

    long bytesRead() {
        return Math.min(read, safeLength());
    }

    private long safeLength() {
        try {
            return delegate.getLength();
        } catch (IOException e) {
            return read;
        }
    }

    @Override
    public long getLength() throws IOException {
        return delegate.getLength();
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
        SeekableInputStream in = delegate.newStream();
        return new DelegatingSeekableInputStream(in) {
            @Override
            public long getPos() throws IOException {
                return in.getPos();
            }

            @Override
            public void seek(long newPos) throws IOException {
                in.seek(newPos);
            }

            @Override
            public int read() throws IOException {
                int b = in.read();
                if (b >= 0) {
                    read++;
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0) {
                    read += n;
                }
                return n;
            }

            @Override
            public void readFully(byte[] bytes, int start, int len) throws IOException {
                in.readFully(bytes, start, len);
                read += len;
            }

            @Override
            public int read(ByteBuffer buf) throws IOException {
                int n = in.read(buf);
                if (n > 0) {
                    read += n;
                }
                return n;
            }

            @Override
            public void readFully(ByteBuffer buf) throws IOException {
                int n = buf.remaining();
                in.readFully(buf);
                read += n;
            }
        };
    }

    /** The file's own name: Parquet's errors ("… is not a Parquet file") name the input by it. */
    @Override
    public String toString() {
        return name;
    }
}
