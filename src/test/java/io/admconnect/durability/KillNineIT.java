package io.admconnect.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.admconnect.source.SftpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Nothing acknowledged is lost on kill -9. The packaged bundle runs as a separate process against a
 * sandbox in another process, with two sources under load: a feeder posts signed webhook batches and
 * remembers what was acknowledged (202), and a dropper writes CSV files into an embedded SFTP server
 * (acknowledged once the bundle moved them to {@code .done/}). The bundle is killed with SIGKILL at
 * random moments and restarted. At the end every dropped file must be in {@code .done/} and the sandbox
 * must hold every acknowledged member; duplicates (batches in flight at a kill) are counted, not failed.
 * CI kills it 4 times per store; {@code -Dkill.count=10} is the full run (RELIABILITY.md).
 */
class KillNineIT {

    private static final String SECRET = "kill-it-secret";
    private static final String DATA_SET = "crm_kill_test";
    private static final int KILLS = Integer.getInteger("kill.count", 4);
    private static final int ROWS_PER_FILE = 200;

    private final Path work = Path.of("target", "kill-it");
    private SftpServer sftp;
    private BundleProcess sandbox;
    private BundleProcess bundle;

    @AfterEach
    void stopAll() throws Exception {
        BundleProcess.stopAll(bundle, sandbox);
        if (sftp != null) {
            sftp.stop();
        }
    }

    @Test
    void embeddedStoreLosesNothingAcknowledged() throws Exception {
        run("embedded", Map.of());
    }

    @Test
    void postgresStoreLosesNothingAcknowledged() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("drop schema if exists kill_it cascade");
            statement.execute("create schema kill_it");
        }
        run("postgres", Map.of("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=kill_it",
                "QUARKUS_DATASOURCE_USERNAME", "postgres"));
    }

    private void run(String store, Map<String, String> storeEnvironment) throws Exception {
        Path runDirectory = work.resolve(store);
        BundleProcess.deleteRecursively(runDirectory);
        int sandboxPort = BundleProcess.freePort();
        sandbox = new BundleProcess("sandbox-" + store, sandboxPort, Map.of("ADM_SANDBOX", "true",
                "ADM_DATA_DIR", runDirectory.resolve("sandbox-data").toAbsolutePath().toString()), runDirectory);
        sandbox.start();
        sftp = new SftpServer();
        Map<String, String> sftpSettings = new HashMap<>(sftp.start());
        sftpSettings.put("sftp.data-set", DATA_SET);
        Path inbox = sftp.root().resolve(SftpServer.DIRECTORY);

        Map<String, String> environment = new HashMap<>(storeEnvironment);
        environment.putAll(SftpServer.asEnvironment(sftpSettings));
        String sandboxRoot = sandbox.baseUrl() + "/sandbox";
        environment.putAll(Map.of("ADM_API_URL", sandboxRoot, "ADM_AUTH_URL", sandboxRoot + "/auth/o2/token",
                "ADM_CLIENT_ID", "sandbox-client", "ADM_CLIENT_SECRET", "sandbox-secret",
                "ADM_REFRESH_TOKEN", "Atzr|sandbox-refresh-token", "ADM_MANAGER_ACCOUNT_ID", "kill-it-manager",
                "WEBHOOK_SECRET", SECRET, "WEBHOOK_DATA_SET", DATA_SET,
                "ADM_BATCH_MAX_MEMBERS", "100", "ADM_BATCH_MAX_WAIT", "300ms"));
        environment.put("ADM_DATA_DIR", runDirectory.resolve("bundle-data").toAbsolutePath().toString());
        bundle = new BundleProcess("bundle-" + store, BundleProcess.freePort(), environment, runDirectory);
        bundle.start();

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Map<String, List<String>> droppedFiles = new ConcurrentHashMap<>();
        AtomicInteger refused = new AtomicInteger();
        AtomicBoolean feeding = new AtomicBoolean(true);
        Thread feeder = new Thread(() -> feed(store, acknowledged, refused, feeding), "feeder");
        Thread dropper = new Thread(() -> drop(store, inbox, droppedFiles, feeding), "dropper");
        feeder.start();
        dropper.start();

        Random random = new Random(42);
        for (int kill = 0; kill < KILLS; kill++) {
            Thread.sleep(1_000 + random.nextInt(2_000));
            bundle.kill();
            Thread.sleep(300);
            bundle.start();
        }
        Thread.sleep(1_000);
        feeding.set(false);
        feeder.join();
        dropper.join();
        int webhookAcknowledged = acknowledged.size();

        // A file is acknowledged by its move to .done/; the restarted bundle must finish every one of them.
        Instant filesDeadline = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(filesDeadline) && !droppedFiles.keySet().stream().allMatch(name -> Files.exists(inbox.resolve(".done").resolve(name)))) {
            Thread.sleep(250);
        }
        List<String> unfinished = droppedFiles.keySet().stream().filter(name -> !Files.exists(inbox.resolve(".done").resolve(name))).sorted().toList();
        droppedFiles.forEach((name, ids) -> {
            if (Files.exists(inbox.resolve(".done").resolve(name))) {
                acknowledged.addAll(ids);
            }
        });

        Map<String, Integer> delivered = sandbox.awaitSandboxMembers(DATA_SET, acknowledged, Duration.ofSeconds(90));
        long lost = acknowledged.stream().filter(id -> !delivered.containsKey(id)).count();
        int duplicates = delivered.values().stream().mapToInt(times -> times - 1).sum();
        String report = String.format("store=%s kills=%d acknowledged=%d (webhook %d, sftp %d in %d files) delivered=%d lost=%d"
                + " duplicates=%d refusedWhileDown=%d", store, KILLS, acknowledged.size(), webhookAcknowledged,
                acknowledged.size() - webhookAcknowledged, droppedFiles.size(), delivered.size(), lost, duplicates, refused.get());
        Files.writeString(work.resolve("report-" + store + ".txt"), report + System.lineSeparator());
        System.out.println("KillNineIT: " + report);

        assertTrue(webhookAcknowledged > 500, "the feeder got enough through to make the test meaningful: " + report);
        assertTrue(droppedFiles.size() > 5, "the dropper dropped enough files to make the test meaningful: " + report);
        assertEquals(List.of(), unfinished, "every dropped file reached .done/: " + report);
        assertFalse(Files.exists(inbox.resolve(".error")), "no file was judged unusable: " + report);
        assertEquals(0, lost, report);
        assertEquals(KILLS + 1, bundle.starts());
    }

    /** Posts batches of 20 records with unique ids; an id counts as acknowledged only on a 202. */
    private void feed(String store, Set<String> acknowledged, AtomicInteger refused, AtomicBoolean feeding) {
        int request = 0;
        while (feeding.get()) {
            request++;
            try {
                List<String> ids = bundle.postWebhook(SECRET, store + "-" + request);
                if (ids.isEmpty()) {
                    refused.incrementAndGet();
                } else {
                    acknowledged.addAll(ids);
                    sleep(10);
                }
            } catch (Exception bundleDown) {
                refused.incrementAndGet();
                sleep(50);
            }
        }
    }

    /** Drops a CSV file of unique ids every 300 ms, written as {@code .part} and renamed, as a CRM export does. */
    private static void drop(String store, Path inbox, Map<String, List<String>> droppedFiles, AtomicBoolean feeding) {
        int file = 0;
        while (feeding.get()) {
            file++;
            String name = store + "-drop-" + file + ".csv";
            List<String> ids = new ArrayList<>();
            StringBuilder csv = new StringBuilder("externalUserId,email,consent.userData\n");
            for (int row = 0; row < ROWS_PER_FILE; row++) {
                String id = store + "-file-" + file + "-" + row;
                ids.add(id);
                csv.append(id).append(',').append(id).append("@example.com,GRANTED\n");
            }
            try {
                Path part = inbox.resolve(name + ".part");
                Files.writeString(part, csv);
                Files.move(part, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            droppedFiles.put(name, ids);
            sleep(300);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
