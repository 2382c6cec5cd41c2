package dev.jcn.helpers.cluster;

import com.hazelcast.config.SerializationConfig;
import com.hazelcast.config.SerializerConfig;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * How the queue's own types travel between members and clients: field by field through Hazelcast's
 * {@link StreamSerializer}s, not Java serialisation. A job's entry is read and written several times per task
 * (the claim and the result's entry processors, each run again on the backup; the client listener's filter), and
 * Java serialisation writes and parses every class's descriptor each time: measured here, it took about a third
 * of the members' CPU time on a stream of small tasks. A task's result value and the task itself stay Java
 * serialised: they are the reader's types ({@link TaskCodec}).
 *
 * <pre>{@code
 * JobSerialization.register(config.getSerializationConfig());   // every member's and client's configuration
 * }</pre>
 */
final class JobSerialization {

    /** Type ids of Hazelcast's custom serializers: positive, and the same in every member and client. */
    private static final int FIRST_TYPE_ID = 4101;

    private JobSerialization() {
    }

    @FunctionalInterface
    private interface Writer<T> {
        void write(ObjectDataOutput out, T value) throws IOException;
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read(ObjectDataInput in) throws IOException;
    }

    private record Codec<T>(int typeId, Class<T> type, Writer<T> writer, Reader<T> reader)
            implements StreamSerializer<T> {
        @Override
        public int getTypeId() {
            return typeId;
        }

        @Override
        public void write(ObjectDataOutput out, T value) throws IOException {
            writer.write(out, value);
        }

        @Override
        public T read(ObjectDataInput in) throws IOException {
            return reader.read(in);
        }
    }

    private static final List<Codec<?>> CODECS = List.of(
            new Codec<>(FIRST_TYPE_ID, Job.class, JobSerialization::writeJob, JobSerialization::readJob),
            new Codec<>(FIRST_TYPE_ID + 1, JobResult.class, JobSerialization::writeResult,
                    JobSerialization::readResult),
            new Codec<>(FIRST_TYPE_ID + 2, Attempt.class, JobSerialization::writeAttempt,
                    JobSerialization::readAttempt),
            new Codec<>(FIRST_TYPE_ID + 3, Job.Claim.class, (out, c) -> {
                out.writeString(c.member());
                out.writeString(c.address());
                out.writeLong(c.startNanos());
            }, in -> new Job.Claim(in.readString(), in.readString(), in.readLong())),
            new Codec<>(FIRST_TYPE_ID + 4, Job.Finish.class, (out, f) -> {
                out.writeString(f.member());
                writeResult(out, f.result());
                out.writeBoolean(f.direct());
            }, in -> new Job.Finish(in.readString(), readResult(in), in.readBoolean())),
            new Codec<>(FIRST_TYPE_ID + 5, Job.Release.class, (out, r) -> out.writeString(r.member()),
                    in -> new Job.Release(in.readString())),
            new Codec<>(FIRST_TYPE_ID + 6, Job.Done.class, (out, d) -> { }, in -> new Job.Done()),
            new Codec<>(FIRST_TYPE_ID + 7, Job.Unfinished.class, (out, u) -> { }, in -> new Job.Unfinished()),
            new Codec<>(FIRST_TYPE_ID + 8, Job.Take.class, (out, t) -> {
                writeJob(out, t.job());
                out.writeString(t.member());
                out.writeString(t.address());
                out.writeLong(t.startNanos());
                out.writeBoolean(t.tell());
            }, in -> new Job.Take(readJob(in), in.readString(), in.readString(), in.readLong(), in.readBoolean())),
            new Codec<>(FIRST_TYPE_ID + 9, Direct.class, (out, d) -> writeJob(out, d.job()),
                    in -> new Direct(readJob(in))));

    /** Makes Hazelcast write the queue's types with the codecs above. */
    static void register(SerializationConfig config) {
        for (Codec<?> codec : CODECS) {
            config.addSerializerConfig(new SerializerConfig().setTypeClass(codec.type()).setImplementation(codec));
        }
    }

    private static void writeJob(ObjectDataOutput out, Job job) throws IOException {
        out.writeString(job.key());
        out.writeString(job.task());
        out.writeByteArray(job.payload());
        out.writeString(job.holder());
        out.writeInt(job.attempts().size());
        for (Attempt a : job.attempts()) {
            writeAttempt(out, a);
        }
        out.writeBoolean(job.result() != null);
        if (job.result() != null) {
            writeResult(out, job.result());
        }
        out.writeInt(job.duplicates().size());
        for (JobResult r : job.duplicates()) {
            writeResult(out, r);
        }
        out.writeBoolean(job.answered());
    }

    private static Job readJob(ObjectDataInput in) throws IOException {
        String key = in.readString();
        String task = in.readString();
        byte[] payload = in.readByteArray();
        String holder = in.readString();
        List<Attempt> attempts = new ArrayList<>();
        for (int n = in.readInt(); n > 0; n--) {
            attempts.add(readAttempt(in));
        }
        JobResult result = in.readBoolean() ? readResult(in) : null;
        List<JobResult> duplicates = new ArrayList<>();
        for (int n = in.readInt(); n > 0; n--) {
            duplicates.add(readResult(in));
        }
        return new Job(key, task, payload, holder, attempts, result, duplicates, in.readBoolean());
    }

    private static void writeResult(ObjectDataOutput out, JobResult r) throws IOException {
        out.writeString(r.key());
        out.writeInt(r.attempt());
        out.writeString(r.address());
        out.writeLong(r.startNanos());
        out.writeLong(r.endNanos());
        out.writeObject(r.value());
        out.writeString(r.failure());
    }

    private static JobResult readResult(ObjectDataInput in) throws IOException {
        return new JobResult(in.readString(), in.readInt(), in.readString(), in.readLong(), in.readLong(),
                in.<Serializable>readObject(), in.readString());
    }

    private static void writeAttempt(ObjectDataOutput out, Attempt a) throws IOException {
        out.writeInt(a.number());
        out.writeString(a.member());
        out.writeString(a.address());
        out.writeLong(a.startNanos());
    }

    private static Attempt readAttempt(ObjectDataInput in) throws IOException {
        return new Attempt(in.readInt(), in.readString(), in.readString(), in.readLong());
    }
}
