package io.github.intuneexporter.config;

import java.util.Locale;

/** Microsoft national clouds: each has its own Graph root and Entra ID authority. */
public enum Cloud {
    GLOBAL("https://graph.microsoft.com", "https://login.microsoftonline.com/"),
    USGOV("https://graph.microsoft.us", "https://login.microsoftonline.us/"),
    USGOVDOD("https://dod-graph.microsoft.us", "https://login.microsoftonline.us/"),
    CHINA("https://microsoftgraph.chinacloudapi.cn", "https://login.chinacloudapi.cn/");

    private final String graphHost;
    private final String authorityHost;

    Cloud(String graphHost, String authorityHost) {
        this.graphHost = graphHost;
        this.authorityHost = authorityHost;
    }

    /** The value of intune.graph.cloud: the constant's name in lower case, e.g. usgovdod. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Graph root without version, e.g. https://graph.microsoft.com. */
    public String graphHost() {
        return graphHost;
    }

    public String authorityHost() {
        return authorityHost;
    }

    /** The app-only scope; tokens are not interchangeable between clouds. */
    public String defaultScope() {
        return graphHost + "/.default";
    }

    static Cloud parse(String path, String value) {
        return ConfigValues.oneOf(path, "cloud", value, values(), Cloud::key);
    }
}
