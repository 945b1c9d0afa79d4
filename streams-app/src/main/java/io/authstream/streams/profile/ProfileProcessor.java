package io.authstream.streams.profile;

import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.UserProfile;
import io.authstream.streams.serde.StateAvroSerde;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** Keeps each user's profile in a store and emits what every event changed. Events without a user are skipped. */
public final class ProfileProcessor implements Processor<String, AuthEvent, String, ProfileChange> {

    public static final String STORE = "user-profiles";

    private ProcessorContext<String, ProfileChange> context;
    private KeyValueStore<String, UserProfile> profiles;

    public static ProcessorSupplier<String, AuthEvent, String, ProfileChange> supplier() {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, AuthEvent, String, ProfileChange> get() {
                return new ProfileProcessor();
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(STORE),
                        Serdes.String(),
                        new StateAvroSerde<>(UserProfile.class)));
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, ProfileChange> context) {
        this.context = context;
        this.profiles = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, AuthEvent> record) {
        String userId = record.value().getUserId();
        if (userId == null) {
            return;
        }
        ProfileChange change = ProfileFolder.fold(profiles.get(userId), record.value());
        if (change.profile() == null) {
            profiles.delete(userId);
        } else {
            profiles.put(userId, change.profile());
        }
        context.forward(new Record<>(userId, change, record.timestamp()));
    }
}
