package io.authstream.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** DynamoDB Local in this JVM: it answers on loopback only and keeps its tables in the data directory across restarts. */
class EmbeddedDynamoDbTest {

    @Test
    void answersOnLoopbackAndRefusesConnectionsToTheHostsOtherAddresses(@TempDir Path dataDir) throws Exception {
        int port = FreePorts.next();
        try (EmbeddedDynamoDb dynamoDb = new EmbeddedDynamoDb(port, Optional.of(dataDir)).start();
                DynamoDbClient client = dynamoDb.client()) {
            assertThat(dynamoDb.endpoint()).isEqualTo("http://127.0.0.1:" + port);
            client.createTable(b -> b.tableName("Users")
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder()
                            .attributeName("userId")
                            .attributeType(ScalarAttributeType.S)
                            .build())
                    .keySchema(KeySchemaElement.builder()
                            .attributeName("userId")
                            .keyType(KeyType.HASH)
                            .build()));
            client.putItem(b -> b.tableName("Users").item(Map.of("userId", AttributeValue.fromS("auth0|1"))));
            assertThat(client.getItem(b -> b.tableName("Users").key(Map.of("userId", AttributeValue.fromS("auth0|1"))))
                            .item())
                    .containsKey("userId");

            List<InetAddress> others = nonLoopbackIpv4Addresses();
            assumeFalse(others.isEmpty(), "this machine has no IPv4 address but loopback to try");
            for (InetAddress address : others) {
                assertThatThrownBy(() -> {
                            try (Socket socket = new Socket()) {
                                socket.connect(new InetSocketAddress(address, port), 5_000);
                            }
                        })
                        .as("a connection to %s:%d", address.getHostAddress(), port)
                        .isInstanceOf(ConnectException.class);
            }
        }
    }

    @Test
    void aRestartOnTheSameDataDirectoryKeepsTheTables(@TempDir Path dataDir) {
        int port = FreePorts.next();
        try (EmbeddedDynamoDb dynamoDb = new EmbeddedDynamoDb(port, Optional.of(dataDir)).start();
                DynamoDbClient client = dynamoDb.client()) {
            client.createTable(b -> b.tableName("Users")
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder()
                            .attributeName("userId")
                            .attributeType(ScalarAttributeType.S)
                            .build())
                    .keySchema(KeySchemaElement.builder()
                            .attributeName("userId")
                            .keyType(KeyType.HASH)
                            .build()));
            client.putItem(b -> b.tableName("Users").item(Map.of("userId", AttributeValue.fromS("auth0|1"))));
        }
        try (EmbeddedDynamoDb dynamoDb = new EmbeddedDynamoDb(port, Optional.of(dataDir)).start();
                DynamoDbClient client = dynamoDb.client()) {
            assertThat(client.getItem(b -> b.tableName("Users").key(Map.of("userId", AttributeValue.fromS("auth0|1"))))
                            .item())
                    .containsKey("userId");
        }
    }

    static List<InetAddress> nonLoopbackIpv4Addresses() throws SocketException {
        return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(nic -> {
                    try {
                        return nic.isUp() && !nic.isLoopback();
                    } catch (SocketException e) {
                        return false;
                    }
                })
                .flatMap(nic -> Collections.list(nic.getInetAddresses()).stream())
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
                .toList();
    }
}
