package io.admconnect.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * A real SFTP server for the tests (Apache MINA SSHD on 127.0.0.1, a free port): password login into a
 * temporary directory. Hands the shipped route its {@code sftp.*} settings, with a known_hosts file holding
 * the server's key, so the route connects with strict host key checking as in production. Tests get the
 * login directory injected into a {@code @SftpServer.Root Path} field.
 */
public class SftpServer implements QuarkusTestResourceLifecycleManager {

    public static final String USER = "crm-drop";
    public static final String PASSWORD = "drop-secret";
    public static final String DIRECTORY = "inbox";
    public static final String DATA_SET = "crm_sftp_drop";

    /** Marks the test's field that receives the server's login directory. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Root {
    }

    private SshServer server;
    private Path root;
    private Path keys;
    /** When the server first sent bytes of each file (by file name): where a benchmark's clock starts. */
    private final Map<String, Instant> firstReads = new ConcurrentHashMap<>();
    /** When the server last sent bytes of each file: how long a benchmark's pipeline took after the file was read. */
    private final Map<String, Instant> lastReads = new ConcurrentHashMap<>();

    @Override
    public Map<String, String> start() {
        try {
            root = Files.createTempDirectory("sftp-root");
            keys = Files.createTempDirectory("sftp-keys");
            Files.createDirectories(root.resolve(DIRECTORY));
            SimpleGeneratorHostKeyProvider hostKey = new SimpleGeneratorHostKeyProvider(keys.resolve("host.key"));
            server = SshServer.setUpDefaultServer();
            server.setHost("127.0.0.1");
            server.setPort(0);
            server.setKeyPairProvider(hostKey);
            server.setPasswordAuthenticator((user, password, session) -> USER.equals(user) && PASSWORD.equals(password));
            SftpSubsystemFactory sftp = new SftpSubsystemFactory();
            sftp.addSftpEventListener(new SftpEventListener() {
                @Override
                public void reading(ServerSession session, String remoteHandle, FileHandle localHandle, long offset, byte[] data,
                        int dataOffset, int dataLen) {
                    String fileName = localHandle.getFile().getFileName().toString();
                    Instant now = Instant.now();
                    firstReads.putIfAbsent(fileName, now);
                    lastReads.put(fileName, now);
                }
            });
            server.setSubsystemFactories(List.of(sftp));
            server.setFileSystemFactory(new VirtualFileSystemFactory(root));
            server.start();
            PublicKey key = hostKey.loadKeys(null).iterator().next().getPublic();
            Path knownHosts = keys.resolve("known_hosts");
            Files.writeString(knownHosts, "[127.0.0.1]:" + server.getPort() + " " + PublicKeyEntry.toString(key) + "\n");
            return Map.of(
                    "sftp.host", "127.0.0.1",
                    "sftp.port", String.valueOf(server.getPort()),
                    "sftp.username", USER,
                    "sftp.password", PASSWORD,
                    "sftp.directory", DIRECTORY,
                    "sftp.data-set", DATA_SET,
                    "sftp.poll-delay", "200ms",
                    "sftp.known-hosts-file", knownHosts.toString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the embedded SFTP server", e);
        }
    }

    /** The login directory (for tests that run the server themselves). */
    public Path root() {
        return root;
    }

    /** The settings {@link #start()} returned, as the environment of a bundle process ({@code SFTP_HOST}, ...). */
    public static Map<String, String> asEnvironment(Map<String, String> settings) {
        Map<String, String> environment = new HashMap<>();
        settings.forEach((key, value) -> environment.put(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), value));
        return environment;
    }

    /** When the server first sent bytes of a file of this name, or null. */
    public Instant firstRead(String fileName) {
        return firstReads.get(fileName);
    }

    /** When the server last sent bytes of a file of this name, or null. */
    public Instant lastRead(String fileName) {
        return lastReads.get(fileName);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(root, new TestInjector.AnnotatedAndMatchesType(Root.class, Path.class));
    }

    @Override
    public void stop() {
        try {
            if (server != null) {
                server.stop(true);
            }
            for (Path directory : new Path[] {root, keys}) {
                if (directory != null) {
                    try (var paths = Files.walk(directory)) {
                        paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
