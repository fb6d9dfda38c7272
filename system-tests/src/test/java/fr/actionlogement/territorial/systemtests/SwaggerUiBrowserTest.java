package fr.actionlogement.territorial.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.WaitForSelectorState;

import fr.actionlogement.territorial.localstack.DemoUsers;
import fr.actionlogement.territorial.localstack.LocalStack;

/**
 * Swagger UI at the gateway, in Debian's headless Chromium driven by Playwright (which never downloads a browser
 * here): every service's document loads, a person logs in through Keycloak (authorization code with PKCE) and
 * executes a GET that returns 200. Without Chromium on the machine the test reports itself skipped, loudly
 * ({@code apt-get install -y chromium}).
 */
@ExtendWith(SystemStack.class)
@DisplayName("System: Swagger UI at the gateway in headless Chromium")
class SwaggerUiBrowserTest {

    /** The services' documents, as named in the gateway's Swagger UI selector. */
    private static final List<String> DOCUMENTS = List.of("territories", "conventions", "partnerships",
            "observatory");
    private static final List<String> CHROMIUM_FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-dev-shm-usage");

    private static LocalStack stack;
    private static Playwright playwright;
    private static Browser browser;

    @BeforeAll
    static void browser(LocalStack started) {
        stack = started;
        Optional<Path> chromium = chromium();
        Assumptions.assumeTrue(chromium.isPresent(), () -> SystemStack.loud(
                "BROWSER TEST SKIPPED: no Chromium at /usr/bin/chromium (install it: apt-get install -y chromium)"));
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(chromium.get())
                .setHeadless(true)
                .setArgs(CHROMIUM_FLAGS)
                .setTimeout(60_000));
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    static Optional<Path> chromium() {
        return Stream.of(System.getProperty("chromium.path"), "/usr/bin/chromium", "/usr/bin/chromium-browser")
                .filter(p -> p != null && !p.isBlank()).map(Path::of).filter(Files::isExecutable).findFirst();
    }

    @Test
    @DisplayName("loads every service's document, logs in through Keycloak with PKCE and executes a GET -> 200")
    void swaggerUiLogsInAndExecutesAGet() {
        try (BrowserContext context = browser.newContext()) {
            exercise(context, stack.gatewayUrl(), stack.keycloakUrl());
        }
    }

    /** The whole journey of a person in the gateway's Swagger UI (static so it can be replayed by hand). */
    static void exercise(BrowserContext context, String gatewayUrl, String keycloakUrl) {
        context.setDefaultTimeout(90_000); // generous: CI machines have two cores
        Page page = context.newPage();
        page.navigate(gatewayUrl + "/q/swagger-ui/");
        page.locator(".topbar select").waitFor();
        for (String document : DOCUMENTS) {
            selectDocument(page, document);
        }

        // The observatory document: log in through Keycloak (authorization code + PKCE), then run a GET.
        selectDocument(page, "observatory");
        page.locator(".scheme-container button.authorize").click();
        Locator oauth = page.locator(".modal-ux .auth-container")
                .filter(new Locator.FilterOptions().setHas(page.locator("#client_id_authorizationCode")));
        Locator clientId = oauth.locator("#client_id_authorizationCode");
        if (clientId.inputValue().isBlank()) {
            clientId.fill("swagger-ui");
        }
        Page login = page.waitForPopup(
                () -> oauth.locator("button[aria-label='Apply given OAuth2 credentials']").click());
        login.locator("#username").waitFor();
        assertThat(login.url()).startsWith(keycloakUrl + "/realms/" + LocalStack.REALM + "/")
                .contains("code_challenge_method=S256");
        login.locator("#username").fill(DemoUsers.UESL);
        login.locator("#password").fill(DemoUsers.PASSWORD);
        login.locator("#kc-login").click();
        // oauth2-redirect.html hands the code back; Swagger UI exchanges it with the verifier and offers "Logout".
        // (Once authorized, the form shows no client_id input any more: look in the whole dialog.)
        page.locator(".modal-ux button", new Page.LocatorOptions().setHasText("Logout")).first().waitFor();
        page.locator(".modal-ux .close-modal").click();

        Locator operation = page.locator(".opblock-get").filter(new Locator.FilterOptions()
                .setHas(page.locator("[data-path='/api/observatory/indicators']"))).first();
        operation.locator(".opblock-summary-control").click();
        operation.locator("button.try-out__btn").click();
        operation.locator("button.execute").click();
        Locator status = operation.locator(".live-responses-table tr.response .response-col_status").first();
        status.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE));
        assertThat(status.innerText().trim()).startsWith("200");
        assertThat(operation.locator(".curl-command").innerText()).contains("Authorization: Bearer ");
    }

    /** Picks a document in the top bar and waits until Swagger UI shows its operations, with no error. */
    private static void selectDocument(Page page, String document) {
        Locator selector = page.locator(".topbar select");
        String url = selector.locator("option").all().stream()
                .filter(o -> o.innerText().trim().equalsIgnoreCase(document))
                .map(o -> o.getAttribute("value")).findFirst()
                .orElseThrow(() -> new AssertionError("Swagger UI lists no document " + document));
        selector.selectOption(url);
        page.locator(".information-container .info__url, .information-container .url")
                .filter(new Locator.FilterOptions().setHasText(url)).first().waitFor();
        page.locator(".opblock").first().waitFor();
        assertThat(page.locator(".opblock").count()).as("operations of %s", document).isPositive();
        assertThat(page.locator(".swagger-ui .errors-wrapper").count()).as("errors loading %s", document).isZero();
    }
}
