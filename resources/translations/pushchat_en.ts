<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>PushChat::CliSession</name>
    <message numerus="yes">
        <source>%n message(s) not confirmed by the server: %1</source>
        <translation>
            <numerusform>%n message not confirmed by the server: %1</numerusform>
            <numerusform>%n messages not confirmed by the server: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PushChat::CompareCounters</name>
    <message numerus="yes">
        <source>%n conn., %1</source>
        <translation>
            <numerusform>%n conn., %1</numerusform>
            <numerusform>%n conn., %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PushChat::CompareView</name>
    <message numerus="yes">
        <source>%n sent</source>
        <translation>
            <numerusform>%n sent</numerusform>
            <numerusform>%n sent</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PushChat::JoinBanner</name>
    <message numerus="yes">
        <source>More addresses (%n)</source>
        <translation>
            <numerusform>More addresses (%n)</numerusform>
            <numerusform>More addresses (%n)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PushChat::MessageDelegate</name>
    <message numerus="yes">
        <source>Show more (%n more line(s))</source>
        <translation>
            <numerusform>Show more (%n more line)</numerusform>
            <numerusform>Show more (%n more lines)</numerusform>
        </translation>
    </message>
</context>
</TS>
